package workspace

import (
	"errors"
	"strings"
	"testing"
)

// fastParams keep the tests quick; the format and the checks are the same.
var fastParams = PasswordParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashAndVerify(t *testing.T) {
	h, err := HashPasswordWith(fastParams, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("not a PHC argon2id string: %s", h)
	}
	if err := VerifyPassword(h, "correct horse"); err != nil {
		t.Errorf("right password: %v", err)
	}
	for _, wrong := range []string{"correct hors", "Correct horse", "", "correct horse "} {
		if err := VerifyPassword(h, wrong); !errors.Is(err, ErrPasswordMismatch) {
			t.Errorf("VerifyPassword(%q) = %v, want ErrPasswordMismatch", wrong, err)
		}
	}
	h2, _ := HashPasswordWith(fastParams, "correct horse")
	if h == h2 {
		t.Error("two hashes of the same password are equal: the salt is not random")
	}
}

func TestDefaultParamsFormat(t *testing.T) {
	h, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=1,p=2$") {
		t.Errorf("default parameters not in the hash: %s", h)
	}
	if err := VerifyPassword(h, "a long enough password"); err != nil {
		t.Error(err)
	}
}

func TestPasswordLength(t *testing.T) {
	if _, err := HashPasswordWith(fastParams, "1234567"); !IsValidation(err) {
		t.Errorf("7 characters: %v, want a ValidationError", err)
	}
	if _, err := HashPasswordWith(fastParams, "ééééééé"); !IsValidation(err) {
		t.Errorf("7 two-byte characters: %v, want a ValidationError (length counts characters)", err)
	}
	if _, err := HashPasswordWith(fastParams, "12345678"); err != nil {
		t.Errorf("8 characters: %v", err)
	}
	if _, err := HashPasswordWith(fastParams, strings.Repeat("x", MaxPasswordLen+1)); !IsValidation(err) {
		t.Errorf("too long: %v, want a ValidationError", err)
	}
}

func TestVerifyRejectsBadHashes(t *testing.T) {
	good, _ := HashPasswordWith(fastParams, "password1")
	parts := strings.Split(good, "$")
	bad := []string{
		"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=16$m=1024,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=4194304,t=1,p=1$" + parts[4] + "$" + parts[5], // 4 GiB
		"$argon2id$v=19$m=1024,t=0,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=1024,t=1,p=0$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=1024,t=1,p=1$!!$" + parts[5],
		"$argon2id$v=19$m=1024,t=1,p=1$" + parts[4] + "$",
		good + "$extra",
	}
	for _, h := range bad {
		err := VerifyPassword(h, "password1")
		if err == nil || errors.Is(err, ErrPasswordMismatch) {
			t.Errorf("VerifyPassword(%q) = %v, want a format error", h, err)
		}
	}
}

func TestDummyHashIsUsable(t *testing.T) {
	if err := VerifyPassword(dummyHash(), "gatehouse-dummy-password-never-matches"); err != nil {
		t.Fatalf("dummy hash does not verify its own password: %v", err)
	}
	// The point is the time spent; it must not panic on any input.
	dummyVerify("")
	dummyVerify(strings.Repeat("x", MaxPasswordLen+10))
}

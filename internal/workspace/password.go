package workspace

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password length limits. The minimum follows NIST SP 800-63B; the maximum
// bounds the work an attacker can make one login cost.
const (
	MinPasswordLen = 8    // characters
	MaxPasswordLen = 1024 // bytes
)

// PasswordParams are argon2id's cost parameters.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultPasswordParams: 64 MiB, one pass, two lanes — RFC 9106's second
// recommended option with p=2 to fit small servers (about 50-100 ms per
// hash on one core). Stored hashes carry their parameters, so raising
// these later does not invalidate existing passwords.
var DefaultPasswordParams = PasswordParams{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}

// Bounds accepted when reading a stored hash, so that a corrupted or
// hostile row cannot make one verification allocate gigabytes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 16
	maxThreads   = 64
)

// ErrPasswordMismatch is returned by VerifyPassword for a wrong password.
var ErrPasswordMismatch = errors.New("workspace: password does not match")

// ValidatePassword checks the length rules.
func ValidatePassword(pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return invalid("password", "Password: at least %d characters.", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return invalid("password", "Password: at most %d bytes.", MaxPasswordLen)
	}
	return nil
}

// HashPassword validates pw and hashes it with DefaultPasswordParams.
func HashPassword(pw string) (string, error) {
	return HashPasswordWith(DefaultPasswordParams, pw)
}

// HashPasswordWith hashes pw with p into a PHC string:
// $argon2id$v=19$m=65536,t=1,p=2$<salt>$<hash> (unpadded standard base64).
func HashPasswordWith(p PasswordParams, pw string) (string, error) {
	if err := ValidatePassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("workspace: reading random salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword checks pw against a PHC string made by HashPassword. It
// returns nil on a match, ErrPasswordMismatch on a wrong password, and
// another error when the stored hash is unreadable. The comparison is
// constant-time.
func VerifyPassword(encoded, pw string) error {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return err
	}
	if len(pw) > MaxPasswordLen {
		return ErrPasswordMismatch
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrPasswordMismatch
	}
	return nil
}

// parsePHC reads $argon2id$v=19$m=..,t=..,p=..$salt$hash.
func parsePHC(s string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("workspace: stored password hash is not argon2id PHC")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("workspace: unsupported argon2 version %q", parts[2])
	}
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &threads); err != nil || n != 3 ||
		p.Memory == 0 || p.Memory > maxMemoryKiB || p.Time == 0 || p.Time > maxTime || threads == 0 || threads > maxThreads {
		return p, nil, nil, fmt.Errorf("workspace: argon2 parameters out of bounds %q", parts[3])
	}
	p.Threads = uint8(threads)
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, errors.New("workspace: stored password hash has a bad salt or key")
	}
	return p, salt, key, nil
}

// dummyHash is verified against when the account does not exist or has no
// password, so that a login takes the same time either way (no timing
// oracle for which emails have accounts).
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("gatehouse-dummy-password-never-matches")
	if err != nil {
		panic("workspace: cannot hash the dummy password: " + err.Error())
	}
	return h
})

// dummyVerify spends the time of one verification and always fails.
func dummyVerify(pw string) {
	_ = VerifyPassword(dummyHash(), pw)
}

package workspace

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
)

// forwardTokenInfo separates the forward token from any other key that
// might ever be derived from a session token.
const forwardTokenInfo = "gatehouse forward-auth cookie v1"

// ForwardToken is the forward-auth cookie's value for the session whose
// cookie value is sessionToken (docs/forward-auth.md, "Cookies"). It is
// derived one-way (HKDF-SHA256) from the session's 256-bit random token:
// as unguessable as a second random draw, yet holding it reveals nothing
// of the session token, so the hosts under GATEHOUSE_COOKIE_DOMAIN that
// receive it can pass a forward-auth check and nothing else. Deriving it
// means every place that sets the session cookie can set this one too
// without a database write, and a sign-out can forget both cached
// answers. The session stores HashToken(ForwardToken(token)) as its
// forward hash, so the token ends with the session. "" for "".
func ForwardToken(sessionToken string) string {
	if sessionToken == "" {
		return ""
	}
	key, err := hkdf.Key(sha256.New, []byte(sessionToken), nil, forwardTokenInfo, 32)
	if err != nil {
		panic("workspace: HKDF-SHA256 refused a 32-byte key: " + err.Error()) // cannot happen for 32 <= 255*32
	}
	return base64.RawURLEncoding.EncodeToString(key)
}

package oidc

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// authRequest is a pending authorization as stored (JSON in the row's
// data): the validated parameters, then the sign-in that completed it.
type authRequest struct {
	ID        string    `json:"-"`
	CreatedAt time.Time `json:"-"`

	ClientID            string                   `json:"client_id"`
	RedirectURI         string                   `json:"redirect_uri"`
	Scopes              []string                 `json:"scopes"`
	State               string                   `json:"state,omitempty"`
	Nonce               string                   `json:"nonce,omitempty"`
	ResponseType        oidc.ResponseType        `json:"response_type"`
	ResponseMode        oidc.ResponseMode        `json:"response_mode,omitempty"`
	CodeChallenge       string                   `json:"code_challenge,omitempty"`
	CodeChallengeMethod oidc.CodeChallengeMethod `json:"code_challenge_method,omitempty"`
	Prompt              []string                 `json:"prompt,omitempty"`
	MaxAge              *uint                    `json:"max_age,omitempty"`

	// Set when the user has signed in (Done).
	UserID       string    `json:"user_id,omitempty"`
	SessionID    string    `json:"sid,omitempty"`
	ConfigID     string    `json:"config_id,omitempty"`
	NameID       string    `json:"name_id,omitempty"`
	SessionIndex string    `json:"session_index,omitempty"`
	AuthTime     time.Time `json:"auth_time"`
	AMR          []string  `json:"amr,omitempty"`
	IsDone       bool      `json:"done,omitempty"`
	// SessionExpires bounds the back-channel logout grant.
	SessionExpires time.Time `json:"session_expires"`
	// SessionHash is the stored token hash of the session that finished
	// the request: the code is refused once that session has ended.
	SessionHash []byte `json:"session_hash,omitempty"`
	// Binding is the SHA-256 of the browser-binding cookie of the browser
	// that started the request: only that browser can finish it.
	Binding []byte `json:"binding"`

	// backChannel: the client registered a back-channel logout URI (set
	// when the code is exchanged).
	backChannel bool
	// checked is the member as checked when the code was exchanged, so
	// that the ID token of the same request needs no second read.
	checked *member
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string                      { return a.ID }
func (a *authRequest) GetACR() string                     { return "" }
func (a *authRequest) GetAMR() []string                   { return a.AMR }
func (a *authRequest) GetAudience() []string              { return []string{a.ClientID} }
func (a *authRequest) GetAuthTime() time.Time             { return a.AuthTime }
func (a *authRequest) GetClientID() string                { return a.ClientID }
func (a *authRequest) GetNonce() string                   { return a.Nonce }
func (a *authRequest) GetRedirectURI() string             { return a.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType { return a.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return a.ResponseMode }
func (a *authRequest) GetScopes() []string                { return a.Scopes }
func (a *authRequest) GetState() string                   { return a.State }
func (a *authRequest) GetSubject() string                 { return a.UserID }
func (a *authRequest) Done() bool                         { return a.IsDone }

func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.CodeChallenge, Method: a.CodeChallengeMethod}
}

// hasPrompt reports whether the request asked for prompt p.
func (a *authRequest) hasPrompt(p string) bool {
	return slices.Contains(a.Prompt, p)
}

// fromOIDC copies the parsed, validated parameters.
func fromOIDC(r *oidc.AuthRequest) *authRequest {
	return &authRequest{
		ClientID: r.ClientID, RedirectURI: r.RedirectURI, Scopes: r.Scopes, State: r.State, Nonce: r.Nonce,
		ResponseType: r.ResponseType, ResponseMode: r.ResponseMode, CodeChallenge: r.CodeChallenge,
		CodeChallengeMethod: r.CodeChallengeMethod, Prompt: r.Prompt, MaxAge: r.MaxAge,
	}
}

// decodeAuthRequest reads a stored row.
func decodeAuthRequest(row *store.OIDCAuthRequest) (*authRequest, error) {
	a := &authRequest{}
	if err := json.Unmarshal(row.Data, a); err != nil {
		return nil, fmt.Errorf("oidc: stored auth request %s: %w", row.ID, err)
	}
	a.ID, a.CreatedAt = row.ID, row.CreatedAt
	return a, nil
}

package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/gatehouse-sso/gatehouse/internal/ssoconfig"
	"io"
	"net/http"
)

// maxAPIBody bounds a JSON request body: the largest legitimate one is a
// SAML config with pasted metadata (ssoconfig.MaxMetadataLen) plus a little JSON.
const maxAPIBody = ssoconfig.MaxMetadataLen + 64<<10

// decodeJSON reads exactly one JSON value into v. Unknown fields are
// refused, so a misspelt field ("group_sync" for groupSync) is an error instead of a
// silently ignored setting.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAPIBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fmt.Errorf("request body larger than %d bytes", tooBig.Limit)
		}
		return fmt.Errorf("request body is not valid JSON for this endpoint: %v", err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return errors.New("request body has data after the JSON value")
	}
	return nil
}

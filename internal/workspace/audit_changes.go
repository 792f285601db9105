package workspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"sort"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// changeDetails is the audit form of a settings change: only the fields
// that changed, each with its value before and after (issue 12: "show
// what changed, not every field"). before is nil for a first save, where
// every field is new.
//
//	{"changed": {"signup": {"before": false, "after": true}}, "fields": ["signup"]}
func changeDetails(before, after map[string]any) map[string]any {
	changed := map[string]any{}
	var fields []string
	for k, a := range after {
		b, had := before[k]
		if had && reflect.DeepEqual(fmt.Sprint(b), fmt.Sprint(a)) {
			continue
		}
		entry := map[string]any{"after": a}
		if had {
			entry["before"] = b
		}
		changed[k] = entry
		fields = append(fields, k)
	}
	sort.Strings(fields)
	return map[string]any{"changed": changed, "fields": nonNil(fields)}
}

// withConfigID keeps the config's ID in the details (it never "changes").
func withConfigID(d map[string]any, id string) map[string]any {
	delete(d["changed"].(map[string]any), "config_id")
	fields := d["fields"].([]string)
	kept := fields[:0]
	for _, f := range fields {
		if f != "config_id" {
			kept = append(kept, f)
		}
	}
	d["fields"], d["config_id"] = kept, id
	return d
}

// previousSAMLDetails is the audit form of the stored config c replaces
// (nil when it is new).
func previousSAMLDetails(ctx context.Context, q store.Queries, id string) (map[string]any, error) {
	if id == "" {
		return nil, nil
	}
	old, err := q.GetSAMLConfig(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return samlConfigDetails(old), nil
}

// metadataDigest identifies a metadata document in the audit log without
// storing it: a change of the IdP's metadata shows as a changed digest.
func metadataDigest(xml string) string {
	if xml == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(xml))
	return hex.EncodeToString(sum[:8])
}

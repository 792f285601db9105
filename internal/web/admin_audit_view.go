package web

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// auditRow is one audit event prepared for the page: user IDs resolved to
// emails, the JSON details flattened to readable key/value pairs.
type auditRow struct {
	At      time.Time
	Kind    string
	User    string // email of the subject, or its ID when unknown
	Actor   string // email of whoever made the change; "" for the system/IdP
	Reason  string
	Message string
	TraceID string
	Details []detailPair
	// Response is the redacted SAML response of a failed sign-in, kept
	// for the retention period ("" otherwise).
	Response string
}

// detailPair is one field of an event's details.
type detailPair struct {
	Key   string
	Value string
}

// flattenDetails turns an event's JSON details into sorted pairs. Lists
// print comma-separated ("groupsAdded: a, b"), nested objects as compact
// JSON; anything that is not a JSON object is shown raw rather than hidden,
// since the audit log must never drop information.
func flattenDetails(raw []byte) []detailPair {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "{}" {
		return nil
	}
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return []detailPair{{Key: "details", Value: string(raw)}}
	}
	if pairs, ok := changePairs(obj); ok {
		return pairs
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]detailPair, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, detailPair{Key: k, Value: detailValue(obj[k])})
	}
	return pairs
}

// detailValue prints one JSON value of an event's details.
func detailValue(v any) string {
	switch t := v.(type) {
	case nil:
		return "(none)"
	case string:
		return t
	case []any:
		if len(t) == 0 {
			return "(none)"
		}
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = detailValue(e)
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		b, _ := json.Marshal(t) // re-encoding decoded JSON cannot fail
		return string(b)
	}
	return fmt.Sprint(v)
}

// newAuditRows resolves user IDs through emails (a map built from the
// member list; IDs of users no longer in it are shown as they are).
func newAuditRows(events []store.AuditEvent, emails map[string]string) []auditRow {
	rows := make([]auditRow, len(events))
	for i, e := range events {
		rows[i] = auditRow{
			At: e.CreatedAt.UTC(), Kind: e.Kind, Reason: e.Reason, Message: e.Message, TraceID: e.TraceID,
			User: nameOr(emails, e.UserID), Actor: nameOr(emails, e.ActorID), Details: flattenDetails(e.Details),
			Response: e.RedactedResponse,
		}
		if rows[i].User == "" {
			rows[i].User = detailsEmail(e.Details) // a failed sign-in names who tried
		}
	}
	return rows
}

// nameOr is the email of user id, or id itself when it is not a member.
func nameOr(emails map[string]string, id string) string {
	if e, ok := emails[id]; ok {
		return e
	}
	return id
}

// changePairs shows a settings change as "field: before → after", one
// pair per changed field: the {"changed": ...} form the service writes,
// and the older {"before": {...}, "after": {...}} form, diffed here. ok is
// false for other details.
func changePairs(obj map[string]any) ([]detailPair, bool) {
	if changed, ok := obj["changed"].(map[string]any); ok {
		keys := make([]string, 0, len(changed))
		for k := range changed {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		pairs := make([]detailPair, 0, len(keys))
		for _, k := range keys {
			e, _ := changed[k].(map[string]any)
			pairs = append(pairs, detailPair{Key: k, Value: changeText(e["before"], e["after"], hasKey(e, "before"))})
		}
		if len(pairs) == 0 {
			pairs = append(pairs, detailPair{Key: "changes", Value: "(none: saved unchanged)"})
		}
		return pairs, true
	}
	before, okB := obj["before"].(map[string]any)
	after, okA := obj["after"].(map[string]any)
	if !okB || !okA {
		return nil, false
	}
	var pairs []detailPair
	keys := make([]string, 0, len(after))
	for k := range after {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if b, a := detailValue(before[k]), detailValue(after[k]); b != a {
			pairs = append(pairs, detailPair{Key: k, Value: b + " → " + a})
		}
	}
	if len(pairs) == 0 {
		pairs = append(pairs, detailPair{Key: "changes", Value: "(none: saved unchanged)"})
	}
	return pairs, true
}

// changeText is "before → after", or the new value of a first save.
func changeText(before, after any, had bool) string {
	if !had {
		return detailValue(after) + " (new)"
	}
	return detailValue(before) + " → " + detailValue(after)
}

// hasKey reports whether m has k.
func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }

// detailsEmail is the "email" of an event's details ("" when none): failed
// sign-ins have no user ID (often no such user exists) but record the
// address the IdP or the form sent.
func detailsEmail(raw []byte) string {
	var d struct {
		Email string `json:"email"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &d) != nil {
		return ""
	}
	return d.Email
}

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

package cli

import (
	"flag"
	"fmt"
	"strings"
)

// onOff is an optional on/off flag: set records whether it was given, so
// that a command changes only what the operator asked for.
type onOff struct {
	set   bool
	value bool
}

// String prints the value as the flag takes it.
func (o *onOff) String() string {
	if o == nil || !o.set {
		return ""
	}
	if o.value {
		return "on"
	}
	return "off"
}

// Set accepts on/off (and the usual true/false, yes/no spellings).
func (o *onOff) Set(s string) error {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "on", "true", "yes", "1":
		o.value = true
	case "off", "false", "no", "0":
		o.value = false
	default:
		return fmt.Errorf("want on or off, got %q", s)
	}
	o.set = true
	return nil
}

// apply stores the flag's value in *dst when it was given.
func (o *onOff) apply(dst *bool) {
	if o.set {
		*dst = o.value
	}
}

// optString is an optional string flag that remembers whether it was given
// (an empty --name "" is a deliberate reset).
type optString struct {
	set   bool
	value string
}

// String is the value given (or "").
func (o *optString) String() string {
	if o == nil {
		return ""
	}
	return o.value
}

// Set records the value.
func (o *optString) Set(s string) error { o.value, o.set = s, true; return nil }

var _ flag.Value = (*onOff)(nil)
var _ flag.Value = (*optString)(nil)

// onOffText prints a switch the way the flags spell it.
func onOffText(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

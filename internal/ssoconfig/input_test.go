package ssoconfig

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestInputValidateDefaults(t *testing.T) {
	got, err := Input{Name: "  Entra  ", MetadataXML: " <x>\r\n</x> "}.validate()
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Entra" || got.MetadataXML != "<x>\n</x>" {
		t.Errorf("not trimmed: %+v", got)
	}
	if got.IdPInitiated != "bounce" || got.ClockSkew != 3*time.Minute || got.GroupAttribute != "groups" {
		t.Errorf("defaults: got mode %q skew %v attr %q", got.IdPInitiated, got.ClockSkew, got.GroupAttribute)
	}
}

func TestInputValidateRefuses(t *testing.T) {
	cases := []struct {
		name  string
		in    Input
		field string
		msg   string
	}{
		{"mode", Input{IdPInitiated: "maybe"}, "idp_initiated", "choose bounce, accept or reject"},
		{"skew not a duration", Input{ClockSkew: "3"}, "clock_skew", `"3" is not a duration`},
		{"skew negative", Input{ClockSkew: "-1s"}, "clock_skew", "between 0s and 10m"},
		{"skew too large", Input{ClockSkew: "11m"}, "clock_skew", "between 0s and 10m"},
		{"http metadata URL", Input{MetadataURL: "http://idp.example/md"}, "metadata_url", "https://"},
		{"metadata URL with password", Input{MetadataURL: "https://u:p@idp.example/md"}, "metadata_url", "without credentials"},
		{"long name", Input{Name: strings.Repeat("x", 81)}, "name", "at most 80"},
		{"attribute on two lines", Input{GroupAttribute: "a\nb"}, "group_attribute", "one line"},
		{"huge metadata", Input{MetadataXML: strings.Repeat("x", MaxMetadataLen+1)}, "metadata_xml", "larger than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.in.validate()
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("want a field error, got %v", err)
			}
			if fe.Field != c.field || !strings.Contains(fe.Message, c.msg) {
				t.Errorf("got field %q message %q; want field %q containing %q", fe.Field, fe.Message, c.field, c.msg)
			}
		})
	}
}

func TestInputValidateAcceptsBounds(t *testing.T) {
	for _, v := range []string{"0s", "10m", "90s"} {
		if _, err := (Input{ClockSkew: v}).validate(); err != nil {
			t.Errorf("%s refused: %v", v, err)
		}
	}
	for _, m := range []string{"bounce", "accept", "reject"} {
		got, err := Input{IdPInitiated: m}.validate()
		if err != nil || got.IdPInitiated != m {
			t.Errorf("%s: got %q, %v", m, got.IdPInitiated, err)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{3 * time.Minute: "3m", 90 * time.Second: "1m30s", 0: "0s", time.Hour: "1h"} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// FuzzSAMLInputValidate: any form input either is refused with a field
// error or yields settings inside the documented bounds.
func FuzzSAMLInputValidate(f *testing.F) {
	f.Add("Entra", "bounce", "3m", "groups", "https://idp.example.com/md")
	f.Add("", "", "", "", "")
	f.Add("x", "accept", "-1s", "a\nb", "http://x")
	f.Fuzz(func(t *testing.T, name, mode, skew, attr, mdURL string) {
		got, err := Input{Name: name, IdPInitiated: mode, ClockSkew: skew, GroupAttribute: attr, MetadataURL: mdURL}.validate()
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field == "" || fe.Message == "" {
				t.Fatalf("not a field error: %#v", err)
			}
			return
		}
		if got.ClockSkew < 0 || got.ClockSkew > maxClockSkew {
			t.Fatalf("skew %v out of bounds", got.ClockSkew)
		}
		if got.IdPInitiated != "bounce" && got.IdPInitiated != "accept" && got.IdPInitiated != "reject" {
			t.Fatalf("mode %q", got.IdPInitiated)
		}
		if got.GroupAttribute == "" || strings.ContainsAny(got.GroupAttribute, "\r\n") {
			t.Fatalf("group attribute %q", got.GroupAttribute)
		}
		if got.MetadataURL != "" && !strings.HasPrefix(got.MetadataURL, "https://") {
			t.Fatalf("metadata URL %q", got.MetadataURL)
		}
	})
}

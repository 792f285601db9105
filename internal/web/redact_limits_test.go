package web

import (
	"runtime"
	"strings"
	"testing"
)

// hostileNesting is about 240 KB of XML built to make a re-parse expensive:
// sibling chains of elements nested 1,000 deep (the validator stops at
// 64), each of which an indenting serializer turns into megabytes.
func hostileNesting() []byte {
	var b strings.Builder
	b.WriteString(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0">`)
	for b.Len() < 240<<10 {
		b.WriteString(strings.Repeat("<a>", 1000))
		b.WriteString(strings.Repeat("</a>", 1000))
	}
	b.WriteString(`</samlp:Response>`)
	return []byte(b.String())
}

// TestRedactResponseBoundedOnHostileInput is issue 11 item 1: building the
// audit copy of a rejected response must stay within the validator's
// limits; it used to re-parse, indent and serialize all of it first (about
// 630 MB for such a body).
func TestRedactResponseBoundedOnHostileInput(t *testing.T) {
	raw := hostileNesting()
	if len(raw) < 200<<10 || len(raw) > 256<<10 {
		t.Fatalf("fixture is %d bytes, want about 250 KB", len(raw))
	}
	var out string
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	out = redactResponse(raw)
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("redactResponse of %d bytes allocated %d bytes, kept %d", len(raw), allocated, len(out))
	// The input, the capped output and the decoder's buffers: a few MiB at
	// most, not hundreds.
	if limit := uint64(8 << 20); allocated > limit {
		t.Errorf("redactResponse allocated %d bytes for a %d-byte response, want at most %d", allocated, len(raw), limit)
	}
	if len(out) > maxRedactedBytes+64 {
		t.Errorf("redacted copy is %d bytes, want at most about %d", len(out), maxRedactedBytes)
	}
}

// TestRedactResponseWideInputStopsAtCap: a wide document within the depth
// limit is copied up to the cap and no further.
func TestRedactResponseWideInputStopsAtCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<r>` + strings.Repeat("<a>", 60))
	for b.Len() < 240<<10 {
		b.WriteString(`<b x="1"/>`)
	}
	b.WriteString(strings.Repeat("</a>", 60) + `</r>`)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	out := redactResponse([]byte(b.String()))
	runtime.ReadMemStats(&after)
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 8<<20 {
		t.Errorf("allocated %d bytes, want at most %d", allocated, 8<<20)
	}
	if len(out) > maxRedactedBytes+64 || !strings.HasSuffix(out, "(truncated)") {
		t.Errorf("copy is %d bytes ending %q, want at most about %d ending (truncated)", len(out), out[max(0, len(out)-40):], maxRedactedBytes)
	}
}

// TestRedactResponseShape shows the copy stays readable: one element per
// line, text kept inline, redacted elements marked.
func TestRedactResponseShape(t *testing.T) {
	in := `<?xml version="1.0"?><p:R xmlns:p="urn:x" A="&quot;1"><p:I>https://idp</p:I><p:E/><p:AttributeValue><x>secret</x></p:AttributeValue><!-- c --><p:N>a<!---->b</p:N></p:R>`
	want := "<p:R xmlns:p=\"urn:x\" A=\"&#34;1\">\n  <p:I>https://idp</p:I>\n  <p:E/>\n  <p:AttributeValue>redacted</p:AttributeValue>\n  <!-- c -->\n  <p:N>a<!---->b</p:N>\n</p:R>"
	if got := redactResponse([]byte(in)); got != want {
		t.Errorf("redactResponse =\n%s\nwant\n%s", got, want)
	}
	if got := redactResponse([]byte(`<a></b>`)); !strings.HasPrefix(got, "(not well-formed XML") {
		t.Errorf("mismatched tags kept: %q", got)
	}
}

// BenchmarkRedactResponseHostile measures the audit copy of the hostile
// response of TestRedactResponseBoundedOnHostileInput (B/op is the point).
func BenchmarkRedactResponseHostile(b *testing.B) {
	raw := hostileNesting()
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		redactResponse(raw)
	}
}

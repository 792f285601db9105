package saml

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mdFixtureDir holds the real IdP metadata (see its PROVENANCE.md).
const mdFixtureDir = fixtureDir

// readMDFixture reads a real IdP fixture.
func readMDFixture(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(mdFixtureDir, rel))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return b
}

// TestEntraCommonMetadataRefused: Entra's multi-tenant metadata (entity
// ID with the literal {tenantid}) can match no real response, so parsing
// refuses it and says where the tenant's own metadata is.
func TestEntraCommonMetadataRefused(t *testing.T) {
	_, err := ParseIdPMetadata(readMDFixture(t, "entra/identitymodel-2017-AADCommonMetadata.xml"), "")
	var me *MetadataError
	if !errors.As(err, &me) || !strings.Contains(err.Error(), "{tenantid}") || !strings.Contains(err.Error(), "App Federation Metadata Url") {
		t.Fatalf("common metadata: %v", err)
	}
}

func TestParseIdPMetadataFixtures(t *testing.T) {
	cases := []struct {
		file, entityID, ssoURL, firstBinding string
		certs                                int
		subject                              string // of the first signing certificate
		slo                                  int
	}{
		{"entra/tenant-8b966979-2017-FederationMetadata.xml", "https://sts.windows.net/8b966979-910b-487c-a604-69229b1ac75c/", "https://login.microsoftonline.com/8b966979-910b-487c-a604-69229b1ac75c/saml2", BindingHTTPRedirect, 3, "CN=accounts.accesscontrol.windows.net", 1},
		{"adfs/msidlab2-adfs-v3-metadata.xml", "http://fs.msidlab2.com/adfs/services/trust", "https://fs.msidlab2.com/adfs/ls/", BindingHTTPRedirect, 1, "CN=ADFS Signing - fs.msidlab2.com", 2},
		{"google/crewjam-2016-idp-metadata.xml", "https://accounts.google.com/o/saml2?idpid=C02dfl1r1", "https://accounts.google.com/o/saml2/idp?idpid=C02dfl1r1", BindingHTTPPost, 1, "CN=Google,OU=Google For Work,O=Google Inc.,L=Mountain View,ST=California,C=US", 0},
		{"onelogin/crewjam-2016-idp-metadata.xml", "https://app.onelogin.com/saml/metadata/503983", "https://app.onelogin.com/trust/saml2/http-post/sso/503983", BindingHTTPPost, 1, "CN=OneLogin Account 32614,OU=OneLogin IdP,O=ctu,C=US", 0},
	}
	seen := map[string]bool{"entra/identitymodel-2017-AADCommonMetadata.xml": true} // refused: TestEntraCommonMetadataRefused
	for _, c := range cases {
		seen[c.file] = true
		t.Run(c.file, func(t *testing.T) {
			for _, id := range []string{"", c.entityID} {
				md, err := ParseIdPMetadata(readMDFixture(t, c.file), id)
				if err != nil {
					t.Fatalf("entityID %q: %v", id, err)
				}
				if md.EntityID != c.entityID {
					t.Errorf("EntityID = %q", md.EntityID)
				}
				if len(md.SSO) == 0 || md.SSO[0].Location != c.ssoURL || md.SSO[0].Binding != c.firstBinding {
					t.Errorf("SSO = %v", md.SSO)
				}
				if len(md.SigningCerts) != c.certs {
					t.Errorf("%d signing certs, want %d", len(md.SigningCerts), c.certs)
				}
				if got := md.SigningCerts[0].Subject.String(); got != c.subject {
					t.Errorf("first cert subject %q", got)
				}
				if len(md.SLO) != c.slo {
					t.Errorf("SLO = %v", md.SLO)
				}
			}
		})
	}
	// Every metadata document in the fixtures must be covered above.
	all, _ := filepath.Glob(filepath.Join(mdFixtureDir, "*", "*etadata*.xml"))
	for _, f := range all {
		rel, _ := filepath.Rel(mdFixtureDir, f)
		if !seen[rel] {
			t.Errorf("fixture %s is not in the table", rel)
		}
	}
}

func TestParseIdPMetadataADFSKeepsOnlyIdPSigningKeys(t *testing.T) {
	md, err := ParseIdPMetadata(readMDFixture(t, "adfs/msidlab2-adfs-v3-metadata.xml"), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range md.SigningCerts {
		if strings.Contains(c.Subject.CommonName, "Encryption") {
			t.Errorf("encryption certificate %q taken as signing key", c.Subject)
		}
	}
}

func TestParseIdPMetadataTenantBOM(t *testing.T) {
	raw := readMDFixture(t, "entra/tenant-8b966979-2017-FederationMetadata.xml")
	if !strings.HasPrefix(string(raw), "\xef\xbb\xbf") {
		t.Fatal("fixture lost its BOM; the test would prove nothing")
	}
	if _, err := ParseIdPMetadata(raw, ""); err != nil {
		t.Fatal(err)
	}
}

func TestParseIdPMetadataKeySelection(t *testing.T) {
	far := time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)
	a := mdCert(t, mdKey(t, 0), "signing A", far)
	b := mdCert(t, mdKey(t, 1), "signing B", far)
	enc := mdCert(t, mdKey(t, 1), "encryption only", far)
	spKey := mdCert(t, mdKey(t, 0), "sp key", far)
	role := mdCert(t, mdKey(t, 1), "wsfed role", far)
	doc := `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" entityID="https://idp.example.com">
  <md:RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706">` + keyDescriptor("signing", role) + `</md:RoleDescriptor>
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` + keyDescriptor("signing", spKey) + `</md:SPSSODescriptor>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">` +
		keyDescriptor("encryption", enc) +
		strings.Replace(keyDescriptor("signing", a, b), b64Cert(b), wrap76(b64Cert(b)), 1) +
		keyDescriptor("", a) + // same cert again: not duplicated
		ssoPost + ssoPost + // duplicate endpoint: listed once
		`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://idp.example.com/soap"/>` +
		`<md:NameIDFormat> urn:oasis:names:tc:SAML:2.0:nameid-format:persistent </md:NameIDFormat>` +
		`</md:IDPSSODescriptor></md:EntityDescriptor>`
	md, err := ParseIdPMetadata([]byte(doc), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(md.SigningCerts) != 2 || !md.SigningCerts[0].Equal(a) || !md.SigningCerts[1].Equal(b) {
		var got []string
		for _, c := range md.SigningCerts {
			got = append(got, c.Subject.CommonName)
		}
		t.Errorf("signing certs %q, want [signing A, signing B]", got)
	}
	if len(md.SSO) != 1 || md.SSO[0].Binding != BindingHTTPPost {
		t.Errorf("SSO = %v", md.SSO)
	}
	if !md.WantAuthnRequestsSigned || len(md.NameIDFormats) != 1 || md.NameIDFormats[0] != NameIDFormatPersistent {
		t.Errorf("want-signed %v, formats %q", md.WantAuthnRequestsSigned, md.NameIDFormats)
	}
}

// wrap76 breaks base64 into indented lines, as many IdPs publish it.
func wrap76(s string) string {
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString("\n      " + s[:76])
		s = s[76:]
	}
	b.WriteString("\n      " + s + "\n    ")
	return b.String()
}

func TestParseIdPMetadataEntitiesDescriptor(t *testing.T) {
	one, two := simpleMetadata(t, "https://one.example.com"), simpleMetadata(t, "https://two.example.com")
	strip := func(s string) string {
		return strings.Replace(s, ` xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"`, "", 1)
	}
	const sp = `<md:EntityDescriptor entityID="https://sp.example.com"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`
	nested := `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="fed">` + sp +
		`<md:EntitiesDescriptor>` + strip(one) + `</md:EntitiesDescriptor>` + strip(two) + `</md:EntitiesDescriptor>`
	for _, id := range []string{"https://one.example.com", "https://two.example.com"} {
		md, err := ParseIdPMetadata([]byte(nested), id)
		if err != nil || md.EntityID != id {
			t.Errorf("pick %s: %v %v", id, md, err)
		}
	}
	_, err := ParseIdPMetadata([]byte(nested), "")
	wantMetadataError(t, err, 0, "2 identity providers", `"https://one.example.com"`, `"https://two.example.com"`)
	_, err = ParseIdPMetadata([]byte(nested), "https://three.example.com")
	wantMetadataError(t, err, 0, `no entity "https://three.example.com"`, `"https://sp.example.com"`)
	_, err = ParseIdPMetadata([]byte(nested), "https://sp.example.com")
	wantMetadataError(t, err, 0, "looks like SP metadata")

	single := `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">` + sp + strip(two) + `</md:EntitiesDescriptor>`
	md, err := ParseIdPMetadata([]byte(single), "")
	if err != nil || md.EntityID != "https://two.example.com" || !md.ValidUntil.IsZero() {
		t.Errorf("the one IdP among SPs: %v %v", md, err)
	}
	// The earliest validUntil of the entity and its enclosing groups counts.
	dated := strings.Replace(strings.Replace(nested, `Name="fed"`, `Name="fed" validUntil="2030-01-01T00:00:00Z"`, 1),
		`<md:EntitiesDescriptor><md:EntityDescriptor`, `<md:EntitiesDescriptor validUntil="2029-06-01T00:00:00Z"><md:EntityDescriptor`, 1)
	md, err = ParseIdPMetadata([]byte(dated), "https://one.example.com")
	if err != nil || md.ValidUntil.Format(time.RFC3339) != "2029-06-01T00:00:00Z" {
		t.Errorf("ValidUntil %v %v", md, err)
	}
	md, err = ParseIdPMetadata([]byte(dated), "https://two.example.com")
	if err != nil || md.ValidUntil.Format(time.RFC3339) != "2030-01-01T00:00:00Z" {
		t.Errorf("ValidUntil %v %v", md, err)
	}
}

// wantMetadataError checks err is a *MetadataError on line (0 = not
// positional, -1 = any positive line) whose message has every fragment.
func wantMetadataError(t *testing.T, err error, line int, fragments ...string) {
	t.Helper()
	var me *MetadataError
	if !errors.As(err, &me) {
		t.Fatalf("want *MetadataError, got %T %v", err, err)
	}
	if (line >= 0 && me.Line != line) || (line < 0 && (me.Line <= 0 || me.Column <= 0)) {
		t.Errorf("position %d:%d, want line %d (%s)", me.Line, me.Column, line, me.Msg)
	}
	for _, f := range fragments {
		if !strings.Contains(me.Msg, f) {
			t.Errorf("message %q lacks %q", me.Msg, f)
		}
	}
}

func TestParseIdPMetadataRefusals(t *testing.T) {
	far := time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)
	good := simpleMetadata(t, "https://idp.example.com")
	key := keyDescriptor("signing", mdCert(t, mdKey(t, 0), "k", far))
	weak := mdCert(t, mdKey(t, -1), "Weak IdP", far)
	cases := []struct {
		name, doc string
		line      int // 0 = not positional, -1 = positional
		want      []string
	}{
		{"SP metadata", `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></EntityDescriptor>`, 0, []string{"no IDPSSODescriptor: this looks like SP metadata"}},
		{"not XML", "hello", 1, []string{"expected XML"}},
		{"empty", "", 1, []string{"no element"}},
		{"truncated", good[:len(good)/2], -1, []string{"XML"}},
		{"truncated after a tag", good[:strings.Index(good, "<md:IDPSSO")], -1, []string{"truncated"}},
		{"mismatched tag on line 3", "<a>\n<b>\n</c></a>", 3, []string{"</c>"}},
		{"DOCTYPE", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"boom\">]>\n" + good, 2, []string{"DOCTYPE"}},
		{"billion laughs", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`, 1, []string{"DOCTYPE"}},
		{"two documents", good + good, -1, []string{"after the end of the root"}},
		{"wrong root", `<html><body/></html>`, 0, []string{"<html>"}},
		{"no entityID", strings.Replace(good, `entityID="https://idp.example.com"`, "", 1), 0, []string{"no entityID"}},
		{"SAML 1.1 only", strings.Replace(good, `urn:oasis:names:tc:SAML:2.0:protocol`, "urn:oasis:names:tc:SAML:1.1:protocol", 1), 0, []string{"does not support SAML 2.0"}},
		{"no SSO", idpEntity("https://i", key+sloRedirect), 0, []string{"SingleSignOnService", "HTTP-Redirect or HTTP-POST"}},
		{"SOAP SSO only", idpEntity("https://i", key+`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://i/soap"/>`), 0, []string{"SingleSignOnService"}},
		{"relative SSO", idpEntity("https://i", key+`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="/sso"/>`), 0, []string{`"/sso"`, "absolute"}},
		{"no key", idpEntity("https://i", ssoPost), 0, []string{"no signing certificate"}},
		{"encryption key only", idpEntity("https://i", strings.Replace(key, `use="signing"`, `use="encryption"`, 1)+ssoPost), 0, []string{"no signing certificate"}},
		{"1024-bit RSA", idpEntity("https://i", keyDescriptor("signing", weak)+ssoPost), 0, []string{`"CN=Weak IdP"`, "1024-bit", "2048"}},
		{"bad base64", idpEntity("https://i", `<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>@@@</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`+ssoPost), 0, []string{"base64"}},
		{"not a certificate", idpEntity("https://i", `<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>aGVsbG8=</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`+ssoPost), 0, []string{"X.509"}},
		{"wrong namespace", strings.ReplaceAll(good, "urn:oasis:names:tc:SAML:2.0:metadata", "urn:example:other"), 0, []string{"SAML 2.0 metadata"}},
		{"too large", "<x>" + strings.Repeat(" ", MaxMetadataSize) + "</x>", 0, []string{"bytes"}},
		{"too deep", strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100), -1, []string{"nested"}},
		{"Latin-1 declared", `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, 1, []string{"save it as UTF-8"}},
		{"UTF-16", "\xff\xfe<\x00m\x00", 1, []string{"not UTF-8"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			md, err := ParseIdPMetadata([]byte(c.doc), "")
			if err == nil {
				t.Fatalf("accepted: %+v", md)
			}
			wantMetadataError(t, err, c.line, c.want...)
		})
	}
}

func TestParseIdPMetadataPasteTolerance(t *testing.T) {
	// Pastes often carry blank lines around the document.
	doc := "\n\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + simpleMetadata(t, "https://i") + "\n\n"
	if _, err := ParseIdPMetadata([]byte(doc), ""); err != nil {
		t.Fatal(err)
	}
}

func TestMetadataWarnings(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	expired := mdCert(t, mdKey(t, 0), "old", now.AddDate(0, -1, 0))
	soon := mdCert(t, mdKey(t, 1), "soon", now.Add(10*24*time.Hour))
	fine := mdCert(t, mdKey(t, 1), "fine", now.AddDate(2, 0, 0))

	md := &IdPMetadata{SigningCerts: []*x509.Certificate{fine}}
	if w := md.Warnings(now); len(w) != 0 {
		t.Errorf("healthy metadata warns: %q", w)
	}
	md = &IdPMetadata{SigningCerts: []*x509.Certificate{expired, soon, fine}}
	w := strings.Join(md.Warnings(now), "\n")
	for _, want := range []string{`"CN=old"`, "expired on 2026-05-01", `"CN=soon"`, "expires on 2026-06-11", CertSHA256(expired)} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	if strings.Contains(w, `"CN=fine"`) || strings.Contains(w, "Every signing certificate") {
		t.Errorf("warnings about what is fine:\n%s", w)
	}
	md = &IdPMetadata{SigningCerts: []*x509.Certificate{expired}, WantAuthnRequestsSigned: true,
		SigningMethods: []string{"http://www.w3.org/2000/09/xmldsig#rsa-sha1"}}
	w = strings.Join(md.Warnings(now), "\n")
	for _, want := range []string{"Every signing certificate", "SHA-1", "WantAuthnRequestsSigned"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	md.SigningMethods = append(md.SigningMethods, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
	if w := strings.Join(md.Warnings(now), "\n"); strings.Contains(w, "SHA-1") {
		t.Errorf("SHA-1 warning although SHA-256 is offered:\n%s", w)
	}
}

func TestMetadataSigningMethodsRead(t *testing.T) {
	doc := strings.Replace(simpleMetadata(t, "https://i"), `entityID="https://i">`,
		`entityID="https://i"><md:Extensions><alg:SigningMethod xmlns:alg="urn:oasis:names:tc:SAML:metadata:algsupport" Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/></md:Extensions>`, 1)
	md, err := ParseIdPMetadata([]byte(doc), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(md.SigningMethods) != 1 || !strings.Contains(strings.Join(md.Warnings(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)), " "), "SHA-1") {
		t.Errorf("SigningMethods %q", md.SigningMethods)
	}
}

func TestCertPreviews(t *testing.T) {
	md, err := ParseIdPMetadata(readMDFixture(t, "google/crewjam-2016-idp-metadata.xml"), "")
	if err != nil {
		t.Fatal(err)
	}
	p := md.CertPreviews()
	if len(p) != 1 || !strings.Contains(p[0].Subject, "CN=Google") || p[0].NotAfter.Format(time.RFC3339) != "2021-01-03T16:17:49Z" {
		t.Fatalf("preview %+v", p)
	}
	fp := p[0].SHA256
	if len(fp) != 64 || strings.ToLower(fp) != fp || strings.Contains(fp, ":") || fp != CertSHA256(md.SigningCerts[0]) {
		t.Errorf("fingerprint %q", fp)
	}
	if md.ValidUntil.Format(time.RFC3339) != "2021-01-03T16:17:49Z" {
		t.Errorf("ValidUntil %v", md.ValidUntil)
	}
	w := md.Warnings(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(w) < 2 || !strings.Contains(w[0], "expired on 2021-01-03") || !strings.Contains(strings.Join(w, " "), "valid until 2021-01-03") {
		t.Errorf("warnings %q", w)
	}
	if w := md.Warnings(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)); len(w) != 0 {
		t.Errorf("warnings before expiry: %q", w)
	}
}

func FuzzParseIdPMetadata(f *testing.F) {
	// Small seeds only: the fuzzer minimizes every new input, and that is
	// slow on 20 KiB documents such as Entra's.
	for _, rel := range []string{"google/crewjam-2016-idp-metadata.xml", "onelogin/crewjam-2016-idp-metadata.xml"} {
		f.Add(readMDFixture(f, rel), "")
	}
	f.Add([]byte(`<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:EntityDescriptor entityID="a"/></md:EntitiesDescriptor>`), "a")
	f.Fuzz(func(t *testing.T, data []byte, entityID string) {
		md, err := ParseIdPMetadata(data, entityID)
		if err != nil {
			var me *MetadataError
			if !errors.As(err, &me) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		// Whatever is accepted satisfies docs/saml.md, setup step 2.
		if md.EntityID == "" || len(md.SSO) == 0 || len(md.SigningCerts) == 0 {
			t.Fatalf("accepted incomplete metadata: %+v", md)
		}
		if entityID != "" && md.EntityID != entityID {
			t.Fatalf("asked for %q, got %q", entityID, md.EntityID)
		}
	})
}

// TestMetadataErrorsHaveAReason: a refused document is a *MetadataError
// (line and column for the page) and, like every parse error of the
// package, a *Error with a reason code.
func TestMetadataErrorsHaveAReason(t *testing.T) {
	for name, doc := range map[string]string{
		"not XML":   "hello",
		"truncated": `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">`,
		"no IdP":    `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>`,
	} {
		_, err := ParseIdPMetadata([]byte(doc), "")
		var me *MetadataError
		var se *Error
		if !errors.As(err, &me) || !errors.As(err, &se) || se.Reason != ReasonMetadataInvalid || se.Message != me.Error() {
			t.Errorf("%s: %T %v", name, err, err)
		}
	}
}

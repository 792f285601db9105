package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse-sso/gatehouse/internal/saml"
)

// fixtures holds real IdP responses and metadata (see its PROVENANCE.md).
const fixtures = "testdata/idp"

const (
	entraIdP    = "https://sts.windows.net/5b5c94c6-14cf-42da-85bc-4e08722b253b/"
	entraSP     = "https://devpg.tercen.com/_service/sso/auth/saml"
	entraReq    = "id6491e192-e2d9-4970-ab03-e38ffda6e033"
	entraNow    = "2022-02-23T17:50:18Z"
	entraNameID = "test@alexandremaurelgmail.onmicrosoft.com"
)

// entraMetadata writes IdP metadata for the tercen Entra fixture (which
// ships only the certificate) the way Entra's federation metadata carries
// it, and returns its path and the certificate's SHA-256.
func entraMetadata(t *testing.T) (string, string) {
	t.Helper()
	pemData, err := os.ReadFile(filepath.Join(fixtures, "entra/tercen-2022-idp-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(pemData)
	sum := sha256.Sum256(block.Bytes)
	md := `<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + entraIdP + `">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` +
		base64.StdEncoding.EncodeToString(block.Bytes) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/5b5c94c6-14cf-42da-85bc-4e08722b253b/saml2"/>
  </IDPSSODescriptor>
</EntityDescriptor>`
	path := filepath.Join(t.TempDir(), "entra-metadata.xml")
	if err := os.WriteFile(path, []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, hex.EncodeToString(sum[:])
}

func runCheck(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := RunEnv(append([]string{"saml", "check"}, args...), strings.NewReader(stdin), &out, &errOut, nil)
	return code, out.String(), errOut.String()
}

func entraArgs(md string, extra ...string) []string {
	return append([]string{"--idp-metadata", md, "--sp-entity-id", entraSP, "--acs-url", entraSP,
		"--request-id", entraReq, "--now", entraNow}, extra...)
}

func TestSAMLCheckAcceptsEntraFixture(t *testing.T) {
	md, sha := entraMetadata(t)
	resp := filepath.Join(fixtures, "entra/tercen-2022-response.xml")
	code, out, errOut := runCheck(t, "", entraArgs(md, resp)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	for _, want := range []string{"accepted", "NameID:", entraNameID, "Signed element:", "Assertion", sha} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runCheck(t, "", entraArgs(md, "--json", resp)...)
	if code != ExitOK {
		t.Fatalf("--json exit %d: %s", code, out)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"nameID", "nameIDFormat", "issuer", "sessionIndex", "email", "name", "groups", "attributes", "signedElement", "signingCertSHA256", "clockDifference", "warnings"} {
		if _, ok := r[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if r["nameID"] != entraNameID || r["issuer"] != entraIdP || r["signedElement"] != "Assertion" || r["signingCertSHA256"] != sha {
		t.Fatalf("JSON identity wrong: %v", r)
	}
	if r["email"] != entraNameID {
		t.Fatalf("email %v", r["email"])
	}
}

func TestSAMLCheckBase64FromStdin(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(fixtures, "entra/tercen-2022-response.xml"))
	if err != nil {
		t.Fatal(err)
	}
	md, _ := entraMetadata(t)
	code, out, errOut := runCheck(t, base64.StdEncoding.EncodeToString(raw)+"\n", entraArgs(md, "-")...)
	if code != ExitOK || !strings.Contains(out, entraNameID) {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
}

func TestSAMLCheckGoogleMetadataAndB64File(t *testing.T) {
	code, out, errOut := runCheck(t, "",
		"--idp-metadata", filepath.Join(fixtures, "google/crewjam-2016-idp-metadata.xml"),
		"--sp-entity-id", "https://29ee6d2e.ngrok.io/saml/metadata", "--acs-url", "https://29ee6d2e.ngrok.io/saml/acs",
		"--request-id", "id-fd419a5ab0472645427f8e07d87a3a5dd0b2e9a6", "--now", "2016-01-05T16:56:00Z",
		filepath.Join(fixtures, "google/crewjam-2016-response.b64"))
	if code != ExitOK || !strings.Contains(out, "ross@octolabs.io") || !strings.Contains(out, "Response") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
}

func TestSAMLCheckRejectsTampered(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(fixtures, "entra/tercen-2022-response.xml"))
	if err != nil {
		t.Fatal(err)
	}
	tampered := bytes.Replace(raw, []byte(">test@"), []byte(">best@"), 1)
	resp := filepath.Join(t.TempDir(), "tampered.xml")
	if err := os.WriteFile(resp, tampered, 0o600); err != nil {
		t.Fatal(err)
	}
	md, _ := entraMetadata(t)
	code, out, _ := runCheck(t, "", entraArgs(md, resp)...)
	if code != ExitRejected || !strings.HasPrefix(out, "digest_mismatch: ") {
		t.Fatalf("exit %d: %s", code, out)
	}
	code, out, _ = runCheck(t, "", entraArgs(md, "--json", resp)...)
	var r map[string]string
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != ExitRejected || r["reason"] != "digest_mismatch" || r["message"] == "" {
		t.Fatalf("exit %d, JSON %q (%v)", code, out, err)
	}
}

func TestSAMLCheckRequestAndUnsolicitedRules(t *testing.T) {
	md, _ := entraMetadata(t)
	resp := filepath.Join(fixtures, "entra/tercen-2022-response.xml")
	base := []string{"--idp-metadata", md, "--sp-entity-id", entraSP, "--acs-url", entraSP, "--now", entraNow}
	code, out, _ := runCheck(t, "", append(base, resp)...)
	if code != ExitRejected || !strings.HasPrefix(out, "in_response_to_unknown: ") {
		t.Fatalf("no --request-id: exit %d: %s", code, out)
	}
	code, out, _ = runCheck(t, "", append(base, "--request-id", "_other", resp)...)
	if code != ExitRejected || !strings.HasPrefix(out, "in_response_to_unknown: ") {
		t.Fatalf("wrong --request-id: exit %d: %s", code, out)
	}
	code, out, _ = runCheck(t, "", append(base, "--allow-idp-initiated", resp)...)
	if code != ExitOK || !strings.Contains(out, "warning: InResponseTo") {
		t.Fatalf("--allow-idp-initiated: exit %d: %s", code, out)
	}
	code, out, _ = runCheck(t, "", append(base[:len(base)-2], "--request-id", entraReq, "--now", "2022-02-23T19:00:00Z", resp)...)
	if code != ExitRejected || !strings.HasPrefix(out, "assertion_expired: ") {
		t.Fatalf("late clock: exit %d: %s", code, out)
	}
}

func TestSAMLCheckUsageErrors(t *testing.T) {
	md, _ := entraMetadata(t)
	resp := filepath.Join(fixtures, "entra/tercen-2022-response.xml")
	cases := map[string][]string{
		"missing response file": entraArgs(md, filepath.Join(t.TempDir(), "nope.xml")),
		"missing metadata file": entraArgs(filepath.Join(t.TempDir(), "nope.xml"), resp),
		"metadata not metadata": entraArgs(resp, resp),
		"no response argument":  entraArgs(md),
		"missing --acs-url":     {"--idp-metadata", md, "--sp-entity-id", entraSP, resp},
		"bad --now":             entraArgs(md, "--now", "yesterday", resp),
		"unknown flag":          entraArgs(md, "--frobnicate", resp),
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCheck(t, "", args...)
			if code != ExitUsage || errOut == "" {
				t.Fatalf("exit %d, stdout %q stderr %q", code, out, errOut)
			}
		})
	}
}

func TestSAMLCheckDecryptionKeyFile(t *testing.T) {
	md, _ := entraMetadata(t)
	resp := filepath.Join(fixtures, "entra/tercen-2022-response.xml")
	keyPEM, certPEM, err := saml.GenerateSPKeyPair("sp", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	key := filepath.Join(dir, "sp.key")
	if err := os.WriteFile(key, []byte(keyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	// A key does not change the outcome for a plain assertion.
	if code, out, errOut := runCheck(t, "", entraArgs(md, "--sp-decryption-key", key, resp)...); code != ExitOK {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	cert := filepath.Join(dir, "sp.crt")
	if err := os.WriteFile(cert, []byte(certPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{cert, filepath.Join(dir, "missing.key")} {
		if code, _, errOut := runCheck(t, "", entraArgs(md, "--sp-decryption-key", bad, resp)...); code != ExitUsage || errOut == "" {
			t.Fatalf("%s: exit %d", bad, code)
		}
	}
}

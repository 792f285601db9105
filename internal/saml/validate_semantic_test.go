package saml

import (
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/gatehouse-sso/gatehouse/internal/saml/samltest"
)

func TestTimeBounds(t *testing.T) {
	check := func(t *testing.T, o samltest.ResponseOptions, now time.Time, want Reason) {
		t.Helper()
		_, err := ValidateResponse(signedResponse(t, o), baseTrust(t), baseExp(), now)
		wantReason(t, err, want)
	}
	o := baseOpts()
	t.Run("expired", func(t *testing.T) {
		check(t, o, o.Now.Add(5*time.Minute+DefaultClockSkew), ReasonExpired)
	})
	t.Run("just inside the skew", func(t *testing.T) {
		_, err := ValidateResponse(signedResponse(t, o), baseTrust(t), baseExp(), o.Now.Add(5*time.Minute+DefaultClockSkew-time.Second))
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("not yet valid", func(t *testing.T) {
		check(t, o, o.Now.Add(-DefaultClockSkew-time.Second), ReasonNotYetValid)
	})
	t.Run("custom skew", func(t *testing.T) {
		exp := baseExp()
		exp.ClockSkew = 10 * time.Minute
		if _, err := ValidateResponse(signedResponse(t, o), baseTrust(t), exp, o.Now.Add(-9*time.Minute)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("issue instant too old", func(t *testing.T) {
		long := o
		long.Lifetime = time.Hour
		check(t, long, long.Now.Add(DefaultMaxAssertionAge+DefaultClockSkew+time.Second), ReasonIssueInstantTooOld)
	})
	t.Run("issue instant in the future", func(t *testing.T) {
		raw := built(t, o, func(root *etree.Element) {
			el(t, root, "./Assertion").CreateAttr("IssueInstant", testNow.Add(10*time.Minute).Format(time.RFC3339))
		})
		wantRejected(t, raw, ReasonIssueInstantInFuture)
	})
	t.Run("subject confirmation expired", func(t *testing.T) {
		raw := built(t, o, func(root *etree.Element) {
			el(t, root, "./Assertion/Subject/SubjectConfirmation/SubjectConfirmationData").
				CreateAttr("NotOnOrAfter", testNow.Add(-DefaultClockSkew-time.Second).Format(time.RFC3339))
		})
		wantRejected(t, raw, ReasonSubjectConfirmationExpired)
	})
	missing := map[string]struct {
		path, attr string
		want       Reason
	}{
		"Conditions NotOnOrAfter":              {"./Assertion/Conditions", "NotOnOrAfter", ReasonConditionsMissing},
		"Conditions NotBefore":                 {"./Assertion/Conditions", "NotBefore", ReasonConditionsMissing},
		"SubjectConfirmationData NotOnOrAfter": {"./Assertion/Subject/SubjectConfirmation/SubjectConfirmationData", "NotOnOrAfter", ReasonBearerMissing},
	}
	for name, m := range missing {
		t.Run("missing "+name, func(t *testing.T) {
			raw := built(t, o, func(root *etree.Element) { el(t, root, m.path).RemoveAttr(m.attr) })
			wantRejected(t, raw, m.want)
		})
	}
	t.Run("missing Conditions", func(t *testing.T) {
		raw := built(t, o, func(root *etree.Element) {
			a := el(t, root, "./Assertion")
			a.RemoveChild(el(t, a, "./Conditions"))
		})
		wantRejected(t, raw, ReasonConditionsMissing)
	})
	t.Run("time without zone", func(t *testing.T) {
		raw := built(t, o, func(root *etree.Element) {
			el(t, root, "./Assertion/Conditions").CreateAttr("NotOnOrAfter", "2026-03-01T12:05:00")
		})
		wantRejected(t, raw, ReasonMalformedXML)
	})
}

func TestAudienceRecipientDestination(t *testing.T) {
	o := baseOpts()
	cases := []struct {
		name string
		edit func(root *etree.Element)
		want Reason
	}{
		{"audience wrong", func(root *etree.Element) {
			el(t, root, "./Assertion/Conditions/AudienceRestriction/Audience").SetText("https://other.example.com")
		}, ReasonAudienceMismatch},
		{"audience with trailing slash", func(root *etree.Element) {
			el(t, root, "./Assertion/Conditions/AudienceRestriction/Audience").SetText(testSPEntity + "/")
		}, ReasonAudienceMismatch},
		{"audience restriction missing", func(root *etree.Element) {
			c := el(t, root, "./Assertion/Conditions")
			c.RemoveChild(el(t, c, "./AudienceRestriction"))
		}, ReasonAudienceMissing},
		{"second restriction without the SP", func(root *etree.Element) {
			el(t, root, "./Assertion/Conditions").CreateElement("saml:AudienceRestriction").
				CreateElement("saml:Audience").SetText("https://other.example.com")
		}, ReasonAudienceMismatch},
		{"recipient wrong", func(root *etree.Element) {
			el(t, root, "./Assertion/Subject/SubjectConfirmation/SubjectConfirmationData").CreateAttr("Recipient", "https://evil.example.com/acs")
		}, ReasonRecipientMismatch},
		{"recipient missing", func(root *etree.Element) {
			el(t, root, "./Assertion/Subject/SubjectConfirmation/SubjectConfirmationData").RemoveAttr("Recipient")
		}, ReasonRecipientMismatch},
		{"destination wrong", func(root *etree.Element) { root.CreateAttr("Destination", "https://evil.example.com/acs") }, ReasonDestinationMismatch},
		{"not bearer", func(root *etree.Element) {
			el(t, root, "./Assertion/Subject/SubjectConfirmation").CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key")
		}, ReasonBearerMissing},
		{"SPNameQualifier wrong", func(root *etree.Element) {
			el(t, root, "./Assertion/Subject/NameID").CreateAttr("SPNameQualifier", "https://other.example.com")
		}, ReasonSPNameQualifierMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantRejected(t, built(t, o, c.edit), c.want) })
	}
	t.Run("destination absent is fine", func(t *testing.T) {
		mustAccept(t, built(t, o, func(root *etree.Element) { root.RemoveAttr("Destination") }))
	})
}

func TestIssuer(t *testing.T) {
	o := baseOpts()
	cases := []struct {
		name string
		edit func(root *etree.Element)
		want Reason
	}{
		{"assertion issuer wrong", func(root *etree.Element) { el(t, root, "./Assertion/Issuer").SetText("https://evil.example.com") }, ReasonIssuerMismatch},
		{"assertion issuer trailing slash", func(root *etree.Element) { el(t, root, "./Assertion/Issuer").SetText(testIdPEntity + "/") }, ReasonIssuerMismatch},
		{"response issuer wrong", func(root *etree.Element) { el(t, root, "./Issuer").SetText("https://evil.example.com") }, ReasonIssuerMismatch},
		{"response issuer trailing slash", func(root *etree.Element) { el(t, root, "./Issuer").SetText(testIdPEntity + "/") }, ReasonIssuerMismatch},
		{"assertion issuer missing", func(root *etree.Element) {
			a := el(t, root, "./Assertion")
			a.RemoveChild(el(t, a, "./Issuer"))
		}, ReasonIssuerMissing},
		{"issuer format not entity", func(root *etree.Element) {
			el(t, root, "./Assertion/Issuer").CreateAttr("Format", NameIDFormatEmail)
		}, ReasonIssuerFormatInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantRejected(t, built(t, o, c.edit), c.want) })
	}
	t.Run("entity format and no response issuer are fine", func(t *testing.T) {
		mustAccept(t, built(t, o, func(root *etree.Element) {
			el(t, root, "./Assertion/Issuer").CreateAttr("Format", NameIDFormatEntity)
			root.RemoveChild(el(t, root, "./Issuer"))
		}))
	})
}

func TestInResponseTo(t *testing.T) {
	o := baseOpts()
	o.InResponseTo = "_unknown"
	wantRejected(t, signedResponse(t, o), ReasonInResponseToUnknown)
	exp := baseExp()
	exp.Requests = nil
	_, err := ValidateResponse(signedResponse(t, baseOpts()), baseTrust(t), exp, testNow)
	wantReason(t, err, ReasonInResponseToUnknown)
	raw := built(t, baseOpts(), func(root *etree.Element) { root.CreateAttr("InResponseTo", "_other") })
	wantRejected(t, raw, ReasonInResponseToMismatch)
	// An unsolicited-looking Response around a solicited assertion is a mismatch too.
	raw = built(t, baseOpts(), func(root *etree.Element) { root.RemoveAttr("InResponseTo") })
	wantRejected(t, raw, ReasonInResponseToMismatch)
}

func TestStatusNotSuccess(t *testing.T) {
	o := baseOpts()
	o.Status = "urn:oasis:names:tc:SAML:2.0:status:Responder"
	raw := built(t, o, func(root *etree.Element) {
		st := el(t, root, "./Status")
		el(t, st, "./StatusCode").CreateElement("samlp:StatusCode").CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:RequestDenied")
		st.CreateElement("samlp:StatusMessage").SetText("AADSTS50105: user not assigned")
	})
	_, err := validate(t, raw)
	wantReason(t, err, ReasonStatusNotSuccess)
	want := "urn:oasis:names:tc:SAML:2.0:status:Responder / urn:oasis:names:tc:SAML:2.0:status:RequestDenied: AADSTS50105: user not assigned"
	if e := err.(*Error); e.IdPStatus != want {
		t.Fatalf("IdPStatus %q", e.IdPStatus)
	}
	// An error response usually has no assertion: the status is what matters.
	bare := tamper(t, raw, func(root *etree.Element) { root.RemoveChild(el(t, root, "./Assertion")) })
	wantRejected(t, bare, ReasonStatusNotSuccess)
}

func TestNameIDRules(t *testing.T) {
	for name, v := range map[string]string{"empty": "", "whitespace": " \n\t "} {
		t.Run(name, func(t *testing.T) {
			o := baseOpts()
			o.NameID = v
			wantRejected(t, signedResponse(t, o), ReasonNameIDMissing)
		})
	}
	t.Run("trimmed", func(t *testing.T) {
		o := baseOpts()
		o.NameID = "\n  " + testNameID + "  \n"
		if a := mustAccept(t, signedResponse(t, o)); a.NameID != testNameID {
			t.Fatalf("NameID %q", a.NameID)
		}
	})
	t.Run("no subject", func(t *testing.T) {
		wantRejected(t, built(t, baseOpts(), func(root *etree.Element) {
			a := el(t, root, "./Assertion")
			a.RemoveChild(el(t, a, "./Subject"))
		}), ReasonNameIDMissing)
	})
	t.Run("two NameIDs", func(t *testing.T) {
		wantRejected(t, built(t, baseOpts(), func(root *etree.Element) {
			s := el(t, root, "./Assertion/Subject")
			s.InsertChildAt(0, el(t, s, "./NameID").Copy())
		}), ReasonMalformedXML)
	})
}

// Comments, CDATA sections and character references inside a signed value
// never truncate it: exclusive c14n (without comments) signs the joined
// text, and the validator returns exactly that full text.
func TestInjectionNeverTruncates(t *testing.T) {
	const full = "user@example.com.evil.com"
	o := baseOpts()
	o.NameID = full
	o.Attributes = map[string][]string{"email": {full}}
	signed := string(signedResponse(t, o))
	injections := map[string]string{
		"comment":       "user@example.com<!---->.evil.com",
		"cdata":         "user@example.com<![CDATA[.evil.com]]>",
		"char ref":      "user@example.com&#46;evil.com",
		"comment cdata": "user@<!-- x -->example.com<![CDATA[.evil]]>.com",
	}
	for name, inj := range injections {
		t.Run(name, func(t *testing.T) {
			doc := strings.ReplaceAll(signed, ">"+full+"<", ">"+inj+"<")
			if strings.Count(doc, inj) != 2 {
				t.Fatal("injection not applied to NameID and email")
			}
			a := mustAccept(t, []byte(doc))
			if a.NameID != full || a.Attributes[0].Values[0] != full {
				t.Fatalf("got NameID %q email %q, want %q", a.NameID, a.Attributes[0].Values[0], full)
			}
		})
	}
	t.Run("processing instruction", func(t *testing.T) {
		// PIs are part of the canonical form: inserting one breaks the digest.
		doc := strings.Replace(signed, ">"+full+"<", ">user@example.com<?x?>.evil.com<", 1)
		wantRejected(t, []byte(doc), ReasonDigestMismatch)
	})
	t.Run("signed PI is not truncating either", func(t *testing.T) {
		raw := built(t, o, func(root *etree.Element) {
			n := el(t, root, "./Assertion/Subject/NameID")
			n.SetText("user@example.com")
			n.CreateProcInst("x", "")
			n.CreateText(".evil.com")
		})
		if a := mustAccept(t, raw); a.NameID != full {
			t.Fatalf("NameID %q", a.NameID)
		}
	})
}

func TestEncryptedAssertionWithoutKey(t *testing.T) {
	raw := tamper(t, signedResponse(t, baseOpts()), func(root *etree.Element) {
		a := el(t, root, "./Assertion")
		enc := etree.NewElement("saml:EncryptedAssertion")
		enc.CreateElement("xenc:EncryptedData").CreateAttr("xmlns:xenc", nsXMLEnc)
		samltestReplace(root, a, enc)
	})
	wantRejected(t, raw, ReasonNoDecryptionKey)
}

func TestStructuredAttributeValuesLeftOut(t *testing.T) {
	raw := built(t, baseOpts(), func(root *etree.Element) {
		at := el(t, root, "./Assertion/AttributeStatement").CreateElement("saml:Attribute")
		at.CreateAttr("Name", "urn:oid:1.3.6.1.4.1.5923.1.1.1.10")
		at.CreateElement("saml:AttributeValue").CreateElement("saml:NameID").SetText("opaque-id")
		at.CreateElement("saml:AttributeValue").SetText("plain")
	})
	a := mustAccept(t, raw)
	last := a.Attributes[len(a.Attributes)-1]
	if last.Name != "urn:oid:1.3.6.1.4.1.5923.1.1.1.10" || len(last.Values) != 1 || last.Values[0] != "plain" {
		t.Fatalf("got %+v", last)
	}
}

func TestSmallerStructuralRules(t *testing.T) {
	t.Run("issuer whitespace is trimmed", func(t *testing.T) {
		mustAccept(t, built(t, baseOpts(), func(root *etree.Element) {
			el(t, root, "./Assertion/Issuer").SetText("\n  " + testIdPEntity + "\n")
		}))
	})
	t.Run("no Status", func(t *testing.T) {
		wantRejected(t, built(t, baseOpts(), func(root *etree.Element) {
			root.RemoveChild(el(t, root, "./Status"))
		}), ReasonStatusNotSuccess)
	})
	t.Run("one good bearer confirmation among several", func(t *testing.T) {
		mustAccept(t, built(t, baseOpts(), func(root *etree.Element) {
			subj := el(t, root, "./Assertion/Subject")
			bad := el(t, subj, "./SubjectConfirmation").Copy()
			el(t, bad, "./SubjectConfirmationData").CreateAttr("Recipient", "https://evil.example.com/acs")
			subj.InsertChildAt(1, bad)
		}))
	})
	t.Run("only bad bearer confirmations", func(t *testing.T) {
		wantRejected(t, built(t, baseOpts(), func(root *etree.Element) {
			subj := el(t, root, "./Assertion/Subject")
			el(t, subj, "./SubjectConfirmation/SubjectConfirmationData").CreateAttr("Recipient", "https://evil.example.com/acs")
			subj.AddChild(el(t, subj, "./SubjectConfirmation").Copy())
		}), ReasonRecipientMismatch)
	})
	t.Run("two Conditions", func(t *testing.T) {
		wantRejected(t, built(t, baseOpts(), func(root *etree.Element) {
			a := el(t, root, "./Assertion")
			c := el(t, a, "./Conditions")
			a.InsertChildAt(c.Index(), c.Copy())
		}), ReasonMalformedXML)
	})
	t.Run("NameID holding an element", func(t *testing.T) {
		wantRejected(t, built(t, baseOpts(), func(root *etree.Element) {
			el(t, root, "./Assertion/Subject/NameID").CreateElement("b").SetText("x")
		}), ReasonMalformedXML)
	})
}

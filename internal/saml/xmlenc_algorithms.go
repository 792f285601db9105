package saml

// XML Encryption algorithm URIs (XML-Enc 1.0 and 1.1).
const (
	EncAES128CBC = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
	EncAES192CBC = "http://www.w3.org/2001/04/xmlenc#aes192-cbc"
	EncAES256CBC = "http://www.w3.org/2001/04/xmlenc#aes256-cbc"
	EncAES128GCM = "http://www.w3.org/2009/xmlenc11#aes128-gcm"
	EncAES192GCM = "http://www.w3.org/2009/xmlenc11#aes192-gcm"
	EncAES256GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm"

	// KeyTransportRSAOAEPMGF1P is RSA-OAEP with MGF1-SHA1 (digest SHA-1
	// unless a DigestMethod says otherwise).
	KeyTransportRSAOAEPMGF1P = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
	// KeyTransportRSAOAEP11 is XML-Enc 1.1 RSA-OAEP with explicit MGF and
	// DigestMethod.
	KeyTransportRSAOAEP11 = "http://www.w3.org/2009/xmlenc11#rsa-oaep"
	// KeyTransportRSA15 is RSA PKCS#1 v1.5 key transport, always rejected
	// (Bleichenbacher oracle).
	KeyTransportRSA15 = "http://www.w3.org/2001/04/xmlenc#rsa-1_5"
)

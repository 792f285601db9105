package saml

import "strings"

// refuseTenantPlaceholder refuses Entra ID's multi-tenant ("common" or
// "organizations") metadata, whose entity ID is the template
// https://sts.windows.net/{tenantid}/: a real response names the tenant,
// so no response could ever match it. The admin needs their tenant's own
// App Federation Metadata URL, which the message says where to find.
func refuseTenantPlaceholder(entityID string) *MetadataError {
	if !strings.Contains(strings.ToLower(entityID), "{tenantid}") {
		return nil
	}
	return metadataErrorf("this is Entra ID's multi-tenant (\"common\") metadata: its entity ID %q contains the placeholder {tenantid}, "+
		"which no real sign-in response matches. Use your tenant's own metadata instead: in the Entra admin center open "+
		"Enterprise applications > your application > Single sign-on > SAML Certificates and copy the App Federation Metadata Url "+
		"(https://login.microsoftonline.com/<tenant ID>/federationmetadata/2007-06/federationmetadata.xml?appid=<application ID>)", entityID)
}

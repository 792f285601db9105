package scim

// Discovery documents (RFC 7644 §4): what this service provider supports.

// serviceProviderConfig is the ServiceProviderConfig resource.
func serviceProviderConfig(base string) map[string]any {
	return map[string]any{
		"schemas":          []any{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
		"documentationUri": "https://github.com/gatehouse-sso/gatehouse/blob/main/docs/scim.md",
		"patch":            map[string]any{"supported": true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": MaxPageSize},
		"changePassword":   map[string]any{"supported": false},
		"sort":             map[string]any{"supported": false},
		"etag":             map[string]any{"supported": false},
		"authenticationSchemes": []any{map[string]any{"type": "oauthbearertoken", "name": "Bearer token",
			"description": "The workspace's SCIM token (Workspace login page, API or CLI)", "primary": true}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": base + "/ServiceProviderConfig"},
	}
}

// resourceTypes are the User and Group resource types.
func resourceTypes(base string) []any {
	return []any{
		map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}, "id": "User", "name": "User",
			"endpoint": "/Users", "schema": SchemaUser,
			"schemaExtensions": []any{map[string]any{"schema": SchemaEnterprise, "required": false}},
			"meta":             map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/User"}},
		map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:ResourceType"}, "id": "Group", "name": "Group",
			"endpoint": "/Groups", "schema": SchemaGroup,
			"meta": map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/Group"}},
	}
}

// attr is one attribute definition of a schema.
func attr(name, typ string, multi, required bool, uniqueness string, subs ...map[string]any) map[string]any {
	a := map[string]any{"name": name, "type": typ, "multiValued": multi, "required": required, "caseExact": false,
		"mutability": "readWrite", "returned": "default", "uniqueness": uniqueness}
	if len(subs) > 0 {
		list := make([]any, len(subs))
		for i, s := range subs {
			list[i] = s
		}
		a["subAttributes"] = list
	}
	return a
}

// schemas are the definitions of the attributes Gatehouse uses.
func schemas(base string) []any {
	s := func(a string) map[string]any { return attr(a, "string", false, false, "none") }
	multi := func(name string) map[string]any {
		return attr(name, "complex", true, false, "none", s("value"), s("display"), s("type"), attr("primary", "boolean", false, false, "none"))
	}
	mk := func(id, name string, attrs ...map[string]any) map[string]any {
		list := make([]any, len(attrs))
		for i, a := range attrs {
			list[i] = a
		}
		return map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:Schema"}, "id": id, "name": name,
			"attributes": list, "meta": map[string]any{"resourceType": "Schema", "location": base + "/Schemas/" + id}}
	}
	return []any{
		mk(SchemaUser, "User", attr("userName", "string", false, true, "server"), s("externalId"),
			attr("name", "complex", false, false, "none", s("formatted"), s("familyName"), s("givenName"), s("middleName"),
				s("honorificPrefix"), s("honorificSuffix")),
			s("displayName"), s("nickName"), s("title"), s("userType"), s("preferredLanguage"), s("locale"), s("timezone"),
			attr("active", "boolean", false, false, "none"), multi("emails"), multi("phoneNumbers"), multi("roles"),
			attr("addresses", "complex", true, false, "none", s("formatted"), s("streetAddress"), s("locality"), s("region"),
				s("postalCode"), s("country"), s("type"), attr("primary", "boolean", false, false, "none"))),
		mk(SchemaGroup, "Group", attr("displayName", "string", false, true, "server"), s("externalId"),
			attr("members", "complex", true, false, "none", s("value"), s("display"), s("type"), s("$ref"))),
		mk(SchemaEnterprise, "EnterpriseUser", s("employeeNumber"), s("costCenter"), s("organization"), s("division"),
			s("department"), attr("manager", "complex", false, false, "none", s("value"), s("displayName"), s("$ref"))),
	}
}

// Package scim is Gatehouse's SCIM 2.0 service provider (RFC 7643, RFC
// 7644): one endpoint per workspace at /scim/v2/{slug}/ with Users,
// Groups, ServiceProviderConfig, ResourceTypes and Schemas, authenticated
// by the workspace's bearer token.
//
// The package owns the protocol only: resources and their JSON, filters
// (parsed by github.com/scim2/filter-parser), PATCH operations on
// resource documents, SCIM error bodies and bounds on input. Every change
// goes through workspace.Service, which applies the provisioning and
// group sync rules (docs/scim.md, docs/access-rules.md) in one
// transaction with its audit event. The deviations of Microsoft Entra ID
// from RFC 7644 that docs/scim.md lists are accepted.
package scim

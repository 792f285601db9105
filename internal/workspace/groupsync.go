package workspace

// SyncInput is everything SPEC §6 needs to decide a member's role and
// custom groups from the IdP's groups.
type SyncInput struct {
	CurrentRole   string
	CurrentGroups []string // custom group names the user is in now
	IdPGroups     []string // values of the group attribute
	// Mapping translates IdP values to workspace group names; nil (or
	// empty) = no mapping, IdP values match workspace groups directly.
	Mapping map[string]string
	// WorkspaceGroups are the workspace's custom groups: name -> can edit apps.
	WorkspaceGroups map[string]bool
	// LastActiveAdmin: the user is the only active admin of the workspace.
	LastActiveAdmin bool
}

// SyncResult is the outcome of SyncGroups.
type SyncResult struct {
	Role        string   // the new role
	RoleChanged bool     // Role differs from the input's CurrentRole
	Groups      []string // the new custom groups, sorted
	Added       []string // custom groups gained, sorted
	Removed     []string // custom groups lost, sorted
	// UnknownTargets are workspace group names the IdP groups pointed to
	// that exist neither as a role nor as a custom group (ignored, never created).
	UnknownTargets []string
	// DemotionSkipped: the rules asked to demote the last active admin;
	// the role was kept (SPEC §6.5). SkippedRole is the role the rules wanted.
	DemotionSkipped bool
	SkippedRole     string
	// Matched: at least one IdP group matched a role or a custom group.
	Matched bool
}

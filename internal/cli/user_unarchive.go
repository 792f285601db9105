package cli

import "github.com/gatehouse-sso/gatehouse/internal/workspace"

func init() {
	register("user unarchive", "unarchive a user in a workspace, or instance-wide without --workspace (--email E [--workspace SLUG])", runUserUnarchive)
}

// runUserUnarchive is the way back from "user archive" (and from an admin
// locked out of a workspace): the membership, or the instance-wide
// account, becomes active again.
func runUserUnarchive(env *Env) int {
	return runArchiveChange(env, "user unarchive", "unarchived", (*workspace.Service).UnarchiveUser)
}

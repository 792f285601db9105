package workspace

import (
	"context"
	"errors"

	"github.com/gatehouse-sso/gatehouse/internal/store"
)

// errPending marks an operation whose body is being written (temporary,
// so that dependants compile against the final API).
var errPending = errors.New("workspace: not implemented yet")

// Mappings are a workspace's effective group mappings.
type Mappings struct {
	Rows []MappingRow
	// EnvError is set when the environment variable is invalid; sync is
	// then off for the workspace.
	EnvError error
}

// MappingRow is one effective mapping row.
type MappingRow struct {
	IdPGroup, WorkspaceGroup string
	Source                   string // "env" or "ui"
}

func (s *Service) CompleteSAMLLogin(ctx context.Context, in SAMLLogin) (*LoginResult, error) {
	return nil, errPending
}
func (s *Service) RecordSAMLFailure(ctx context.Context, ws *store.Workspace, cfg *store.SAMLConfig, reason, message string, attributeNames []string, redactedResponse, traceID string) error {
	return errPending
}
func (s *Service) PasswordLogin(ctx context.Context, ws *store.Workspace, email, password, traceID string) (*LoginResult, error) {
	return nil, errPending
}
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	return nil, errPending
}
func (s *Service) SignOut(ctx context.Context, token string) (*store.Session, error) {
	return nil, errPending
}
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) { return false, errPending }
func (s *Service) Setup(ctx context.Context, email, name, password, workspaceName, slug string) (*LoginResult, error) {
	return nil, errPending
}
func (s *Service) CreateWorkspace(ctx context.Context, actorID, name, slug string) (*store.Workspace, error) {
	return nil, errPending
}
func (s *Service) CreateUser(ctx context.Context, actorID, workspaceID, email, name, password, role string) (*store.User, error) {
	return nil, errPending
}
func (s *Service) ArchiveUser(ctx context.Context, actorID, email, workspaceID string) error {
	return errPending
}
func (s *Service) SetMemberStatus(ctx context.Context, actorID, workspaceID, userID, status string) error {
	return errPending
}
func (s *Service) SetMemberRole(ctx context.Context, actorID, workspaceID, userID, role string) error {
	return errPending
}
func (s *Service) CreateGroup(ctx context.Context, actorID, workspaceID, name string, canEdit bool) (*store.Group, error) {
	return nil, errPending
}
func (s *Service) UpdateGroup(ctx context.Context, actorID, workspaceID, groupID, name string, canEdit bool) error {
	return errPending
}
func (s *Service) DeleteGroup(ctx context.Context, actorID, workspaceID, groupID string) error {
	return errPending
}
func (s *Service) AddGroupMember(ctx context.Context, actorID, workspaceID, groupID, userID string) error {
	return errPending
}
func (s *Service) RemoveGroupMember(ctx context.Context, actorID, workspaceID, groupID, userID string) error {
	return errPending
}
func (s *Service) SaveLoginSettings(ctx context.Context, actorID string, ls *store.LoginSettings) error {
	return errPending
}
func (s *Service) SaveSAMLConfig(ctx context.Context, actorID string, c *store.SAMLConfig) error {
	return errPending
}
func (s *Service) ReplaceGroupMappings(ctx context.Context, actorID, workspaceID string, rows []store.GroupMapping) error {
	return errPending
}
func (s *Service) EffectiveMappings(ctx context.Context, ws *store.Workspace) (*Mappings, error) {
	return nil, errPending
}
func (s *Service) CreateAPIToken(ctx context.Context, actorID, workspaceID, name string) (string, *store.APIToken, error) {
	return "", nil, errPending
}
func (s *Service) AuthenticateAPIToken(ctx context.Context, token string) (*store.APIToken, error) {
	return nil, errPending
}
func (s *Service) DeleteAPIToken(ctx context.Context, actorID, workspaceID, id string) error {
	return errPending
}

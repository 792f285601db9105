package workspace

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestSPECMessages pins the user-visible texts to SPEC §7, word for word.
func TestSPECMessages(t *testing.T) {
	for got, want := range map[string]string{
		MsgNotAMember:          "User does not exist in the workspace",
		MsgDomainNotAllowed:    "You cannot sign in using the mail id - Domain verification failed",
		MsgArchivedInWorkspace: "User is archived in the workspace",
		MsgArchivedInstance:    "You have been archived from this instance. Contact super admin to know more.",
	} {
		if got != want {
			t.Errorf("message %q, SPEC says %q", got, want)
		}
	}
}

func TestErrorTypes(t *testing.T) {
	wrapped := fmt.Errorf("saving: %w", invalid("name", "Group name: required."))
	if !IsValidation(wrapped) || IsValidation(errors.New("x")) {
		t.Error("IsValidation does not see through wrapping")
	}
	var ve *ValidationError
	if !errors.As(wrapped, &ve) || ve.Field != "name" || ve.UserMessage() != "Group name: required." {
		t.Errorf("ValidationError: %+v", ve)
	}
	ae := emailMissing(nil)
	if ae.Code != CodeEmailMissing || !strings.Contains(ae.Message, "attributes received: none") || ae.Error() != ae.Code+": "+ae.Message {
		t.Errorf("email_missing without attributes: %v", ae)
	}
}

package workspace

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestAccessMessagesAsDocumented pins the user-visible texts word for word,
// both here and in docs/access-rules.md, where operators and translators
// read them.
func TestAccessMessagesAsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/access-rules.md")
	if err != nil {
		t.Fatal(err)
	}
	for got, want := range map[string]string{
		MsgNotAMember:          "User does not exist in the workspace",
		MsgDomainNotAllowed:    "You cannot sign in using the mail id - Domain verification failed",
		MsgArchivedInWorkspace: "User is archived in the workspace",
		MsgArchivedInstance:    "You have been archived from this instance. Contact super admin to know more.",
	} {
		if got != want {
			t.Errorf("message %q, the rules say %q", got, want)
		}
		if !strings.Contains(string(doc), "| "+got+" |") {
			t.Errorf("docs/access-rules.md has no refusal row with %q", got)
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

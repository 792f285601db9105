package workspace

import "testing"

func TestUnknownTargets(t *testing.T) {
	groups := []string{"Engineering", "Sales", "Finance EU"}
	pairs := [][2]string{
		{"g1", "admin"}, {"g2", "BUILDER"}, {"g3", "Sales"}, // known
		{"g4", "Engineerng"},   // typo
		{"g5", "sales"},        // case of a custom group (exact names)
		{"g6", "admn"},         // typo of a role
		{"g7", "Marketing"},    // nothing close
		{"g8", "finance-eu"},   // punctuation and case
		{"g9", "Engineering "}, // trailing space is not trimmed here
	}
	got := UnknownTargets(pairs, groups)
	want := map[string]string{"g4": "Engineering", "g5": "Sales", "g6": "admin", "g7": "", "g8": "Finance EU", "g9": "Engineering"}
	if len(got) != len(want) {
		t.Fatalf("got %d warnings: %+v", len(got), got)
	}
	for _, w := range got {
		if s, ok := want[w.IdPGroup]; !ok || s != w.Suggestion {
			t.Errorf("%s -> %q: suggestion %q, want %q", w.IdPGroup, w.Target, w.Suggestion, s)
		}
	}
	if m := got[0].Message(); m != `The IdP group "g4" is mapped to "Engineerng", which is not a role (admin, builder, end-user) or a group of this workspace; group sync ignores this row. Did you mean "Engineering"?` {
		t.Errorf("message: %s", m)
	}
}

func TestEditDistanceBounded(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"kitten", "sitting", 10, 3}, {"", "abc", 10, 3}, {"same", "same", 5, 0}, {"abcdef", "uvwxyz", 3, 3}, {"a", "abcdefgh", 3, 3},
	} {
		if got := editDistance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}

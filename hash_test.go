package vigil

import "testing"

// The content hash of the same parts never changes: stores hold it, and a
// re-import compares against it, so a change would make every stored
// document look changed. The values were taken from the first
// implementation.
func TestHashContentIsStable(t *testing.T) {
	for _, tt := range []struct {
		parts []string
		want  string
	}{
		{nil, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{[]string{""}, "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc"},
		{[]string{"ged:1", "", "Kabul, 2022-09-05", "é\x00x"}, "e202f18e904bf6c83f1a5faa2e99f9c41a25c8fc5182cc493e18417021050e69"},
	} {
		if got := HashContent(tt.parts...); got != tt.want {
			t.Errorf("HashContent(%q) = %s, want %s", tt.parts, got, tt.want)
		}
	}
	if HashContent("ab", "c") == HashContent("a", "bc") {
		t.Error("parts split differently hash alike")
	}
}

func BenchmarkHashContent(b *testing.B) {
	parts := make([]string, 41)
	for i := range parts {
		parts[i] = "a value of a GED column"
	}
	for b.Loop() {
		HashContent(parts...)
	}
}

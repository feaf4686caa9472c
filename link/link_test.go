package link

import "testing"

func TestGeneratedGold(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		g := generatedGold(t, seed)
		c := Default()
		res := c.Link(g.Records, nil)
		m := Evaluate(g.Labels, res.Group)
		t.Logf("seed %d: %d reports, %d gold events, %d events; pairwise %+v; bcubed %+v; compared %d review %d", seed, m.Reports, m.GoldEvents, m.Events, m.Pairwise, m.BCubed, res.Compared, len(res.Review))
		if m.BCubed.F1 < 0.95 {
			t.Errorf("seed %d: B-cubed F1 = %.3f, want ≥ 0.95", seed, m.BCubed.F1)
		}
	}
}

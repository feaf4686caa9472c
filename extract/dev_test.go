package extract

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/vigil-osint/vigil/actors"
	"github.com/vigil-osint/vigil/geo"
)

func TestDev(t *testing.T) {
	path := os.Getenv("DEV")
	if path == "" {
		t.Skip()
	}
	x, _ := Default()
	dict, _ := actors.Default()
	gaz, _ := geo.Default()
	gold, err := LoadGold(context.Background(), path, dict, gaz)
	if err != nil {
		t.Fatal(err)
	}
	if y := os.Getenv("YEARS"); y != "" {
		var keep []GoldDoc
		for _, g := range gold {
			if len(g.Incidents) > 0 && strings.Contains(y, g.Incidents[0].Date[:4]) {
				keep = append(keep, g)
			}
		}
		gold = keep
	}
	res, err := x.Evaluate(context.Background(), gold)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	res.Print(&b)
	fmt.Println(b.String())
	f, _ := os.Create("/tmp/misses.txt")
	for _, m := range res.Misses {
		fmt.Fprintln(f, m)
	}
	f.Close()
}

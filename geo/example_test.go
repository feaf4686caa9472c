package geo_test

import (
	"context"
	"fmt"

	"github.com/vigil-osint/vigil/geo"
)

func ExampleGeocode() {
	cands, err := geo.Geocode(context.Background(), geo.Query{Text: "Achin District, Nangarhar Province, Afghanistan"})
	if err != nil {
		panic(err)
	}
	c := cands[0]
	fmt.Println(c.Name, c.Country, c.Admin1, c.Admin1Name, c.LocationPrecision)
	// Output: Achin AF AF-NAN Nangarhar 3
}

func ExampleGazetteer_Where() {
	g, err := geo.Default()
	if err != nil {
		panic(err)
	}
	a, _ := g.Where(34.43, 70.45)
	fmt.Println(a.Country, a.Admin1, a.Admin1Name, a.Admin2Name)
	// Output: AF AF-NAN Nangarhar Jalalabad
}

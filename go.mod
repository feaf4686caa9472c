module github.com/vigil-osint/vigil

go 1.26.0

require github.com/spf13/cobra v1.10.2

require (
	github.com/hbollon/go-edlib v1.7.0 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/mozillazg/go-unidecode v0.2.0 // indirect
	github.com/paulmach/orb v0.14.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
	github.com/tidwall/geoindex v1.7.0 // indirect
	github.com/tidwall/rtree v1.10.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

// Package webtest drives vigil's web UI in headless Chromium: the real
// binary serves the demo case from a real SQLite file (vigil serve --demo)
// and the tests sign in, filter the map, open events, rate an ACH cell and
// check that a reader cleared for GREEN sees no AMBER material. The tests
// skip, saying why, where Chromium is missing (scripts/need-chromium.sh
// installs it).
//
// VIGIL_CHROMIUM names the browser (default /usr/bin/chromium);
// VIGIL_WEBTEST_SHOTS names a folder to keep the screenshots in.
package webtest

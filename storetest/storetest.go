// Package storetest is the conformance suite that every vigil.Store must
// pass: the SQLite store and the PostgreSQL store run the same tests.
package storetest

import (
	"context"
	"testing"

	"github.com/vigil-osint/vigil"
)

// NewStore returns a fresh, empty store for one test; the suite closes it.
type NewStore func(t *testing.T) vigil.Store

// Run runs the whole suite against stores made by newStore.
func Run(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		fn   func(*testing.T, vigil.Store)
	}{
		{"Sources", testSources},
		{"Actors", testActors},
		{"Relationships", testRelationships},
		{"ActorMarkings", testActorMarkings},
		{"ActorMergeAcrossImports", testActorMergeAcrossImports},
		{"ActorMarkingsDumpRestore", func(t *testing.T, s vigil.Store) { testActorMarkingsDumpRestore(t, s, newStore) }},
		{"Composition", func(t *testing.T, s vigil.Store) { testComposition(t, s, newStore) }},
		{"Batches", testBatches},
		{"IngestNewUnchangedUpdated", testIngestOutcomes},
		{"IngestIsAtomic", testIngestAtomic},
		{"IngestNeverGoesBack", testIngestNeverGoesBack},
		{"IngestUnknownSource", testIngestUnknownSource},
		{"IngestTwiceInOneChunk", testIngestTwiceInOneChunk},
		{"IngestChunking", func(t *testing.T, s vigil.Store) { testIngestChunking(t, s, newStore) }},
		{"BulkIngest", testBulkIngest},
		{"DocumentWithoutReports", testDocumentWithoutReports},
		{"DumpRestore", func(t *testing.T, s vigil.Store) { testDumpRestore(t, s, newStore) }},
		{"EventFusion", testEventFusion},
		{"EventFusionFollowsRegrade", testEventFusionFollowsRegrade},
		{"EventFilters", testEventFilters},
		{"EventNotFound", testEventNotFound},
		{"LinkApply", testLinkApply},
		{"LinkDecisions", testLinkDecisions},
		{"LinkSurvivesReimport", testLinkSurvivesReimport},
		{"LinkBlocksReachBack", testLinkBlocksReachBack},
		{"Users", testUsers},
		{"Tokens", testTokens},
		{"Sessions", testSessions},
		{"Audit", testAudit},
		{"AuditWithChange", testAuditWithChange},
		{"BrowseClearance", testBrowseClearance},
		{"BrowseActorPages", testBrowseActorPages},
		{"BrowseEventsByID", testBrowseEventsByID},
		{"BrowseCursors", testBrowseCursors},
		{"AnalysisFactsMatchEvents", testFactsMatchEvents},
		{"AnalysisFactsFollowUpdates", testFactsFollowUpdates},
		{"AnalysisFactsAsOf", testFactsAsOf},
		{"AnalysisFactsMinCredibility", testFactsMinCredibility},
		{"ACHCases", testACHCases},
		{"ACHHistory", testACHHistory},
		{"ACHHistoryClearance", func(t *testing.T, s vigil.Store) { testACHHistoryClearance(t, s, newStore) }},
		{"ACHSourceMarkings", testACHSourceMarkings},
		{"Watch", testWatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t)
			defer s.Close()
			tt.fn(t, s)
		})
	}
}

var ctx = context.Background()

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := vigil.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Package link links reports into events: it finds candidate pairs by
// blocking (country and a window of days), scores each pair with an
// explanation, clusters the pairs under constraints (one document's reports
// never merge, different named venues on one day stay apart, an episode and
// an attack inside it are related but not merged, people's decisions hold),
// queues the uncertain links for review, and evaluates a linkage against
// gold labels (pairwise and B-cubed precision, recall and F1).
//
// Fusion of an event's values is vigil.Fuse; this package decides only which
// reports form one event.
package link

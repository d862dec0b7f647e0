package main

import (
	"math"
	"slices"
	"time"
)

// How a match is ranked among the newest searchCap (the README's "Search" says the same):
//
//	score = relevanceWeight * relevance / best relevance + (1 - relevanceWeight) * 2^(-age / recencyHalfLife)
//	relevance = (k1 + 1) / (1 + k1 * (1 - b + b * length / average length))      (k1 = 1.2, b = 0.75)
//
// relevance is BM25's weight of a term found once (its length normalisation: a short message that
// matches is more about the words than a long one that mentions them), with the length in tokens of the
// message's text and the average over the candidates. Not FTS5's bm25(): before its first row it walks
// every match of every term of the query, over the whole history, to count how many messages hold each
// (the IDF), which took most of a common word's search at 1M messages, where the walk newest-first stops
// at the cap. The two parts left out matter little here: every candidate holds every term, so the IDF
// only weighs one term's repetitions against another's, and chat messages rarely repeat a word (the
// term frequency). Dividing by the best makes relevance 0..1 whatever the query; age is from now to the
// message's creation. A message as relevant as the best scores 0.5 + 0.5 today and 0.5 + 0.25 a month
// ago; a message four times the average length weighs 0.45 of one of average length. Ties go to the
// newer message.
const (
	relevanceWeight = 0.5
	recencyHalfLife = 30 * 24 * time.Hour
	bm25K1          = 1.2
	bm25B           = 0.75
)

// rankSearchCandidates orders candidates by the score above, best first.
func rankSearchCandidates(candidates []searchCandidate, now time.Time) {
	if len(candidates) == 0 {
		return
	}
	average := 0.0
	for _, c := range candidates {
		average += float64(c.Length)
	}
	average = max(1, average/float64(len(candidates)))
	weight := func(c searchCandidate) float64 {
		return (bm25K1 + 1) / (1 + bm25K1*(1-bm25B+bm25B*float64(c.Length)/average))
	}
	best := 0.0
	for _, c := range candidates {
		best = max(best, weight(c))
	}
	for i := range candidates {
		c := &candidates[i]
		relevance := weight(*c) / best
		age := time.Duration(0)
		if created, err := time.Parse(pbDateLayout, c.Create); err == nil && now.After(created) {
			age = now.Sub(created)
		}
		recency := math.Exp2(-float64(age) / float64(recencyHalfLife))
		c.score = relevanceWeight*relevance + (1-relevanceWeight)*recency
	}
	slices.SortStableFunc(candidates, func(a, b searchCandidate) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		case a.Row > b.Row:
			return -1
		case a.Row < b.Row:
			return 1
		}
		return 0
	})
}

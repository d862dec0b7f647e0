package main

import (
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// blockIndex answers "who blocked this author?" from memory. An author's set is read from the database
// the first time it is needed and forgotten whenever a block naming them is made or removed; a read
// that overlaps such a change is not kept, so a stale set never outlives the change.
type blockIndex struct {
	mu         sync.Mutex
	generation uint64
	byAuthor   map[string]map[string]struct{}
}

var blocks = &blockIndex{byAuthor: map[string]map[string]struct{}{}}

// blockersOf returns the ids of the people who blocked author. The set is shared: never change it.
func (b *blockIndex) blockersOf(app core.App, author string) (map[string]struct{}, error) {
	b.mu.Lock()
	set, known := b.byAuthor[author]
	generation := b.generation
	b.mu.Unlock()
	if known {
		return set, nil
	}

	var ids []string
	err := app.DB().Select("user").From("blocks").Where(dbx.HashExp{"blocked": author}).Column(&ids)
	if err != nil {
		return nil, err
	}
	set = make(map[string]struct{}, len(ids))
	for _, id := range ids {
		set[id] = struct{}{}
	}

	b.mu.Lock()
	if b.generation == generation {
		b.byAuthor[author] = set
	}
	b.mu.Unlock()
	return set, nil
}

func (b *blockIndex) forget(authors ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.generation++
	for _, author := range authors {
		delete(b.byAuthor, author)
	}
}

package main

import "testing"

func TestThumbStackGivesTheNewestFirstAndDropsTheOldestWhenFull(t *testing.T) {
	stack := &thumbStack{wake: make(chan struct{}, 1)}
	for i := 0; i < thumbQueueSize+2; i++ {
		stack.push(thumbJob{original: string(rune('a' + i%26)), thumb: string(rune(i))})
	}
	first, ok := stack.pop()
	if !ok || first.thumb != string(rune(thumbQueueSize+1)) {
		t.Fatalf("the newest job comes first, got %q", first.thumb)
	}
	count := 1
	var last thumbJob
	for job, ok := stack.pop(); ok; job, ok = stack.pop() {
		last = job
		count++
	}
	if count != thumbQueueSize {
		t.Fatalf("the stack keeps %d jobs, got %d", thumbQueueSize, count)
	}
	if last.thumb != string(rune(2)) {
		t.Fatalf("the two oldest were dropped, the oldest kept is job 2, got %q", last.thumb)
	}
	select {
	case <-stack.wake:
	default:
		t.Fatal("a push wakes the worker")
	}
}

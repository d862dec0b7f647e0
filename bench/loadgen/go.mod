module palaver/bench/loadgen

go 1.25.0

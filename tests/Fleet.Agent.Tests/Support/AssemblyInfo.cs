// One llama.cpp per process and a 2-core CI machine: test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

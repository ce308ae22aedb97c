// Command chatbench measures the openai engine against the fake server of
// package openaitest: 200 ms latency per request and a limit of 300
// requests per minute that the server enforces with 429 and Retry-After.
//
// Bench mode (the default) splits the Markdown files of a corpus into
// paragraphs, keeps the unique ones and drives them through the engine with
// openaitest.SimpleDrive, a stand-in for the pipeline's translate stage,
// then prints the figures the README reports:
//
//	go run ./providers/openaichat/cmd/chatbench -corpus ../shared/corpus
//
// It reports unique segments and tokens, requests made (and refused with
// 429) against the lower bound the batch limits allow, failed segments, and
// the accepted request rate against the limit. -plan prints only the
// batching plan. Paragraphs longer than max_batch_tokens characters are
// split at sentence ends first, as the pipeline does.
//
// Serve mode only runs the fake server, so that the real CLI can be
// measured against it; it prints the base URL, serves its counters as JSON
// at /__stats, and prints them when interrupted:
//
//	go run ./providers/openaichat/cmd/chatbench -serve -addr 127.0.0.1:8089
//	OPENAI_BASE_URL=http://127.0.0.1:8089/v1 OPENAI_API_KEY=sk-test-x \
//	    diglot translate --provider openai --source zh --target en -o /tmp/out ../shared/corpus
package main

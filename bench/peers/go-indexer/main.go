// go-indexer is the performance peer for wikistream's indexer: the same job (Kafka topic →
// Elasticsearch daily indices, _id = meta.id, derived fields, offsets committed only after the
// bulk request succeeded for every item), written with franz-go and go-elasticsearch.
// It is used only by the benchmark suite (`pnpm bench`).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/elastic/go-elasticsearch/v9"
	"github.com/twmb/franz-go/pkg/kgo"
)

type event struct {
	Meta struct {
		ID string `json:"id"`
		Dt string `json:"dt"`
	} `json:"meta"`
	Type   any    `json:"type"`
	User   string `json:"user"`
	Title  string `json:"title"`
	Length *struct {
		Old *int `json:"old"`
		New *int `json:"new"`
	} `json:"length"`
}

type bulkResponse struct {
	Errors bool `json:"errors"`
	Items  []map[string]struct {
		Status int `json:"status"`
	} `json:"items"`
}

func main() {
	brokers := flag.String("brokers", "localhost:9092", "Kafka bootstrap servers")
	topic := flag.String("topic", "wikimedia.recentchange", "topic to consume")
	group := flag.String("group", "go-indexer", "consumer group")
	esURL := flag.String("es", "http://localhost:9200", "Elasticsearch URL")
	prefix := flag.String("prefix", "go-indexer", "index prefix")
	expect := flag.Int("expect", 0, "exit after indexing this many events (0 = run until stopped)")
	flag.Parse()

	client, err := kgo.NewClient(
		kgo.SeedBrokers(strings.Split(*brokers, ",")...),
		kgo.ConsumerGroup(*group),
		kgo.ConsumeTopics(*topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.DisableAutoCommit(),
		kgo.FetchMaxBytes(16<<20),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{*esURL}})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	indexed := 0
	started := time.Time{}
	for ctx.Err() == nil && (*expect == 0 || indexed < *expect) {
		fetches := client.PollRecords(ctx, 5000)
		if fetches.IsClientClosed() || ctx.Err() != nil {
			break
		}
		fetches.EachError(func(t string, p int32, err error) { log.Printf("fetch %s/%d: %v", t, p, err) })
		records := fetches.Records()
		if len(records) == 0 {
			continue
		}
		if started.IsZero() {
			started = time.Now()
		}
		body := buildBulk(records, *prefix)
		for !bulkOK(es, body) {
			time.Sleep(500 * time.Millisecond)
		}
		if err := client.CommitRecords(ctx, records...); err != nil {
			log.Printf("commit: %v", err)
		}
		indexed += len(records)
	}
	elapsed := time.Since(started).Seconds()
	fmt.Printf("{\"indexed\":%d,\"seconds\":%.3f}\n", indexed, elapsed)
}

func buildBulk(records []*kgo.Record, prefix string) []byte {
	var buf bytes.Buffer
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for _, record := range records {
		var e event
		if err := json.Unmarshal(record.Value, &e); err != nil || e.Meta.ID == "" {
			continue
		}
		dt, err := time.Parse(time.RFC3339, e.Meta.Dt)
		if err != nil {
			continue
		}
		var doc map[string]any
		if err := json.Unmarshal(record.Value, &doc); err != nil {
			continue
		}
		var delta any
		if e.Length != nil && e.Length.New != nil {
			if e.Length.Old != nil {
				delta = *e.Length.New - *e.Length.Old
			} else if e.Type == "new" {
				delta = *e.Length.New
			}
		}
		doc["byte_delta"] = delta
		doc["is_anonymous"] = net.ParseIP(e.User) != nil
		doc["title_text"] = strings.NewReplacer(":", " ", "_", " ", "/", " ").Replace(e.Title)
		doc["pipeline"] = map[string]any{
			"kafka_partition": record.Partition,
			"kafka_offset":    fmt.Sprint(record.Offset),
			"indexed_at":      now,
		}
		index := prefix + "-" + dt.UTC().Format("2006.01.02")
		fmt.Fprintf(&buf, "{\"index\":{\"_index\":%q,\"_id\":%q}}\n", index, e.Meta.ID)
		line, _ := json.Marshal(doc)
		buf.Write(line)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func bulkOK(es *elasticsearch.Client, body []byte) bool {
	if len(body) == 0 {
		return true
	}
	res, err := es.Bulk(bytes.NewReader(body))
	if err != nil {
		log.Printf("bulk: %v", err)
		return false
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.IsError() {
		log.Printf("bulk: %s", res.Status())
		return false
	}
	var parsed bulkResponse
	if err := json.Unmarshal(raw, &parsed); err != nil {
		return false
	}
	if parsed.Errors {
		for _, item := range parsed.Items {
			for _, result := range item {
				if result.Status == 429 || result.Status >= 500 {
					return false
				}
			}
		}
	}
	return true
}

func init() {
	log.SetOutput(os.Stderr)
}

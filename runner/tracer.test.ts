import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { Tracer } from "./tracer.ts";

describe("Tracer", () => {
  it("has no current span outside any span, and a root span has no parent", async () => {
    const tracer = new Tracer();
    expect(tracer.currentSpanId()).toBeNull();
    const inside = await tracer.span("agent_run:qa", "agent", { a: 1 }, async () => tracer.currentSpanId());
    expect(tracer.spans).toHaveLength(1);
    expect(tracer.spans[0]).toMatchObject({ id: inside, parent_id: null, name: "agent_run:qa", kind: "agent", status: "ok", attributes: { a: 1 } });
    expect(tracer.currentSpanId()).toBeNull();
  });

  it("nests spans across awaits", async () => {
    const tracer = new Tracer();
    await tracer.span("root", "agent", {}, async () => {
      await sleep(1);
      await tracer.span("phase", "phase", {}, async () => {
        await sleep(1);
        const llm = tracer.open("chat m", "llm", {});
        tracer.close(llm);
      });
      const after = tracer.open("after", "llm", {});
      tracer.close(after);
    });
    const byName = Object.fromEntries(tracer.spans.map((s) => [s.name, s]));
    expect(byName.phase!.parent_id).toBe(byName.root!.id);
    expect(byName["chat m"]!.parent_id).toBe(byName.phase!.id);
    // back in the root once the phase finished
    expect(byName.after!.parent_id).toBe(byName.root!.id);
  });

  it("gives parallel children (Promise.all) their own parent, whatever order they interleave in", async () => {
    const tracer = new Tracer();
    const workers = ["w0", "w1", "w2", "w3", "w4"];
    // Later workers finish first, so their awaits interleave with the earlier ones'.
    await tracer.span("root", "agent", {}, () =>
      Promise.all(workers.map((name, i) =>
        tracer.span(name, "worker", { name }, async () => {
          await sleep((workers.length - i) * 3);
          const first = tracer.open(`llm:${name}:1`, "llm", {});
          await sleep(i * 2);
          tracer.close(first);
          await tracer.span(`phase:${name}`, "phase", {}, async () => {
            await sleep(1);
            tracer.close(tracer.open(`llm:${name}:2`, "llm", {}));
          });
        }),
      )),
    );
    const byName = new Map(tracer.spans.map((s) => [s.name, s]));
    const root = byName.get("root")!;
    for (const name of workers) {
      const worker = byName.get(name)!;
      expect(worker.parent_id).toBe(root.id);
      expect(byName.get(`llm:${name}:1`)!.parent_id).toBe(worker.id);
      const phase = byName.get(`phase:${name}`)!;
      expect(phase.parent_id).toBe(worker.id);
      expect(byName.get(`llm:${name}:2`)!.parent_id).toBe(phase.id);
    }
    expect(new Set(tracer.spans.map((s) => s.id)).size).toBe(tracer.spans.length);
  });

  it("marks a span that throws as an error, rethrows, and leaves a parent that caught it ok", async () => {
    const tracer = new Tracer();
    const result = await tracer.span("root", "agent", {}, async () => {
      await expect(tracer.span("phase", "phase", {}, async () => {
        await sleep(1);
        throw new TypeError("boom");
      })).rejects.toThrow("boom");
      return "recovered";
    });
    expect(result).toBe("recovered");
    const [root, phase] = tracer.spans;
    expect(phase).toMatchObject({ status: "error", error: "TypeError: boom" });
    expect(root).toMatchObject({ status: "ok" });
    expect(root!.error).toBeUndefined();
  });

  it("records a thrown non-Error as text, and propagates errors up through every span", async () => {
    const tracer = new Tracer();
    await expect(tracer.span("root", "agent", {}, () => tracer.span("inner", "chain", {}, async () => {
      throw "plain string";
    }))).rejects.toBe("plain string");
    expect(tracer.spans.map((s) => [s.name, s.status, s.error])).toEqual([
      ["root", "error", "plain string"],
      ["inner", "error", "plain string"],
    ]);
  });

  it("lets the handle add attributes, and measures start and duration", async () => {
    const tracer = new Tracer();
    await tracer.span("root", "agent", { keep: true }, async (span) => {
      await sleep(15);
      span.set({ answer: "42" });
    });
    const [root] = tracer.spans;
    expect(root!.attributes).toEqual({ keep: true, answer: "42" });
    expect(root!.start_ms).toBeGreaterThanOrEqual(0);
    expect(root!.duration_ms).toBeGreaterThanOrEqual(10);
  });

  it("copies the attributes it was given, so the caller's object is not mutated", async () => {
    const tracer = new Tracer();
    const attrs = { a: 1 };
    await tracer.span("root", "agent", attrs, async (span) => span.set({ b: 2 }));
    expect(attrs).toEqual({ a: 1 });
  });

  it("keeps separate tracers apart (one per example, run concurrently)", async () => {
    const a = new Tracer();
    const b = new Tracer();
    await Promise.all([
      a.span("a-root", "agent", {}, async () => {
        await sleep(5);
        a.close(a.open("a-llm", "llm", {}));
      }),
      b.span("b-root", "agent", {}, async () => {
        await sleep(1);
        b.close(b.open("b-llm", "llm", {}));
      }),
    ]);
    expect(a.spans.map((s) => s.name)).toEqual(["a-root", "a-llm"]);
    expect(b.spans.map((s) => s.name)).toEqual(["b-root", "b-llm"]);
    expect(a.spans[1]!.parent_id).toBe(a.spans[0]!.id);
    expect(b.spans[1]!.parent_id).toBe(b.spans[0]!.id);
  });
});

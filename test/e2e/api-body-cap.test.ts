import { expect, test, setDefaultTimeout } from "bun:test";
import { startTestHub } from "../helpers/hub.ts";
import { makeSandbox } from "../helpers/sandbox.ts";

// Real hub: slower than bun's 5 s default on a loaded machine.
setDefaultTimeout(30_000);

const MiB = 1024 * 1024;

// A chunked body says nothing of its size up front: the hub counts it as it arrives and
// answers 413 once it passes 1 MiB, without reading (or keeping) the rest.
test("a chunked body past 1 MiB is refused with 413 while it is still being sent", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const total = 64 * MiB;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const response = await hub.fetch("/api/sessions", { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit);
  expect(response.status).toBe(413);
  expect(((await response.json()) as { error: { name: string } }).error.name).toBe("BodyTooLarge");
  // What was sent is what the hub read plus what the sockets buffer: far from all of it.
  expect(sent).toBeLessThan(total / 4);
  // The hub still answers.
  expect((await hub.fetch("/api/sessions")).status).toBe(200);
});

test("a chunked body under the limit is read whole", async () => {
  await using sb = await makeSandbox();
  await using hub = await startTestHub(sb);
  const text = JSON.stringify({ name: "x", prompt: "p".repeat(MiB / 2) });
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
  // Read and checked: it gets as far as the repository lookup.
  const response = await hub.fetch("/api/sessions", { method: "POST", body, duplex: "half" } as RequestInit);
  const { error } = (await response.json()) as { error: { name: string } };
  expect(error.name).not.toBe("BodyTooLarge");
  expect(error.name).not.toBe("BadJson");
});

import { execFileSync } from "node:child_process";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, silentLogger } from "realtime-agent";
import { ScriptedModel } from "realtime-agent/testing";
import { type AgentServer, createAgentServer } from "../app.ts";
import { Authenticator } from "../auth/request-auth.ts";
import { speechRouter } from "./speech-api.ts";

/** espeak-ng is Debian's package; CI installs it and sets RTA_REQUIRE_SPEECH=1, so there it must be here. */
const installed = (() => {
  try {
    execFileSync("espeak-ng", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!installed && process.env.RTA_REQUIRE_SPEECH === "1")
  throw new Error("espeak-ng is required (RTA_REQUIRE_SPEECH=1).");

/** What the audio measures: its format, its length, how loud it is, how often it crosses zero. */
function measureWav(wav: Buffer) {
  expect(wav.toString("latin1", 0, 4)).toBe("RIFF");
  expect(wav.toString("latin1", 8, 12)).toBe("WAVE");
  expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
  const format = {
    audioFormat: wav.readUInt16LE(20),
    channels: wav.readUInt16LE(22),
    sampleRate: wav.readUInt32LE(24),
    bits: wav.readUInt16LE(34),
  };
  expect(wav.toString("latin1", 36, 40)).toBe("data");
  const dataBytes = wav.readUInt32LE(40);
  expect(dataBytes).toBe(wav.length - 44);
  const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + 44 + dataBytes));
  let energy = 0;
  let crossings = 0;
  let loud = 0;
  for (let index = 0; index < samples.length; index++) {
    const sample = samples[index]! / 32768;
    energy += sample * sample;
    if (Math.abs(sample) > 0.05) loud++;
    if (index > 0 && samples[index - 1]! < 0 !== samples[index]! < 0) crossings++;
  }
  const seconds = samples.length / format.sampleRate;
  return {
    ...format,
    seconds,
    rms: Math.sqrt(energy / samples.length),
    loudShare: loud / samples.length,
    crossingsPerSecond: crossings / seconds,
  };
}

let server: AgentServer;
let url: string;

beforeAll(async () => {
  server = createAgentServer({ agent: new Agent({ model: new ScriptedModel([]) }), logger: silentLogger });
  url = `http://127.0.0.1:${(await server.listen(0)).port}/v1/audio/speech`;
});
afterAll(async () => {
  await server.close();
});

const speak = (body: Record<string, unknown>) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe.skipIf(!installed)("speech output through espeak-ng", () => {
  it("speaks a sentence as 16-bit mono PCM WAV whose samples sound like speech", async () => {
    const response = await speak({ input: "The weather in Madrid is sunny, twenty four degrees." });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("audio/wav");
    const audio = measureWav(Buffer.from(await response.arrayBuffer()));
    expect(audio).toMatchObject({ audioFormat: 1, channels: 1, sampleRate: 22050, bits: 16 });
    // About two seconds of speech for nine words at 175 words a minute, not silence nor noise.
    expect(audio.seconds).toBeGreaterThan(1.5);
    expect(audio.seconds).toBeLessThan(8);
    expect(audio.rms).toBeGreaterThan(0.02);
    expect(audio.loudShare).toBeGreaterThan(0.1);
    // Voiced speech crosses zero a few hundred to a few thousand times a second; white noise ~11,000.
    expect(audio.crossingsPerSecond).toBeGreaterThan(200);
    expect(audio.crossingsPerSecond).toBeLessThan(5000);
  });

  it("grows with the text, shrinks with the speed, and speaks Spanish text with the Spanish voice", async () => {
    const seconds = async (body: Record<string, unknown>) =>
      measureWav(Buffer.from(await (await speak(body)).arrayBuffer())).seconds;
    const one = await seconds({ input: "Good morning to everyone here." });
    const three = await seconds({ input: "Good morning to everyone here. ".repeat(3) });
    expect(three / one).toBeGreaterThan(2.2);
    const fast = await seconds({ input: "Good morning to everyone here.", speed: 2 });
    expect(fast / one).toBeLessThan(0.75);
    const spanish = "¿Qué tiempo hace hoy en Sevilla? Hace sol y treinta grados.";
    const auto = Buffer.from(await (await speak({ input: spanish, voice: "alloy" })).arrayBuffer());
    const named = Buffer.from(await (await speak({ input: spanish, voice: "es" })).arrayBuffer());
    const english = Buffer.from(await (await speak({ input: spanish, voice: "en" })).arrayBuffer());
    expect(auto.equals(named)).toBe(true);
    expect(auto.equals(english)).toBe(false);
  });

  it("refuses an empty text, an unknown voice and a format it cannot write, with typed errors", async () => {
    const empty = await speak({ input: "   " });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { code: "INPUT_EMPTY" } });
    const unknown = await speak({ input: "Hello", voice: "xx" });
    expect(await unknown.json()).toMatchObject({ error: { code: "INPUT_MALFORMED" } });
    const injected = await speak({ input: "Hello", voice: "en; rm -rf /" });
    expect(await injected.json()).toMatchObject({ error: { code: "INPUT_MALFORMED" } });
    const mp3 = await speak({ input: "Hello", response_format: "mp3" });
    expect(mp3.status).toBe(400);
  });
});

describe("speech output without espeak-ng", () => {
  it("answers 503 SPEECH_UNAVAILABLE, saying what to install", async () => {
    const app = express();
    app.use("/speech", speechRouter({ auth: new Authenticator(), command: "/nonexistent/espeak-ng" }));
    const local = app.listen(0);
    await new Promise((resolve) => local.once("listening", resolve));
    try {
      const port = (local.address() as { port: number }).port;
      const response = await fetch(`http://127.0.0.1:${port}/speech`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: "Hello" }),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        error: { code: "SPEECH_UNAVAILABLE", message: expect.stringContaining("apt-get install espeak-ng") },
      });
    } finally {
      local.close();
    }
  });
});

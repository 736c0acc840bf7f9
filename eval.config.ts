import { defineConfig } from "./core/config.ts";

export default defineConfig({
  datasets: "datasets/*/v*.yaml",
  graphs: {
    admin_chat: "./agents/admin_chat/index.ts",
    agentic_search: "./agents/agentic_search/index.ts",
    research_agent: "./agents/research_agent/index.ts",
    email_outreach: "./agents/email_outreach/index.ts",
    pipeline: "./agents/pipeline/index.ts",
  },
  timeoutMs: 30_000,
  outDir: ".evalgate",
  reporters: ["console", "json", "junit", "markdown", "github", "otlp"],
  // Used only by `--record` and `--live`; replay never opens a socket.
  llm: {
    model: "gpt-4o-mini",
    baseURL: "https://api.openai.com/v1",
    apiKeyEnv: "OPENAI_API_KEY",
    temperature: 0,
  },
});

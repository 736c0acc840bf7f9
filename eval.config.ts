import { defineConfig } from "evalgate";

export default defineConfig({
  datasets: "datasets/*/v*.yaml",
  graphs: {
    admin_chat: "./agents/admin_chat/index.ts",
    agentic_search: "./agents/agentic_search/index.ts",
    research_agent: "./agents/research_agent/index.ts",
    email_outreach: "./agents/email_outreach/index.ts",
    pipeline: "./agents/pipeline/index.ts",
    refund_bot: "./agents/refund_bot/index.ts",
  },
  timeoutMs: 30_000,
  outDir: ".evalgate",
  reporters: ["console", "json", "junit", "markdown", "github", "html", "otlp"],
  // Used only by `--record` and `--live`; replay never opens a socket.
  llm: {
    model: "gpt-4o-mini",
    baseURL: "https://api.openai.com/v1",
    apiKeyEnv: "OPENAI_API_KEY",
    temperature: 0,
  },
  // The grader of `expect.judge` checks (refund_bot's); its calls are recorded beside the agent's.
  judge: {
    model: "gpt-4o",
    baseURL: "https://api.openai.com/v1",
    apiKeyEnv: "OPENAI_API_KEY",
    temperature: 0,
  },
  // Prices come from @pydantic/genai-prices' bundled snapshot; entries here win over it, for models
  // it does not know or for negotiated rates (USD per million tokens). The seed's lead-gen
  // deployment runs deepseek-v4-pro, whose published rate changes with the time of day.
  pricing: {
    "deepseek-v4-pro": { input_per_mtok: 0.27, output_per_mtok: 1.1, cached_input_per_mtok: 0.07 },
  },
});

/**
 * The package's public API (`import { defineConfig, defineAgent } from "evalgate"`): what an
 * eval.config.ts and an agent adapter need, and nothing of the runner.
 */
export { defineConfig, type EvalConfigInput, type EvalConfig } from "./config.ts";
export { defineAgent, ToolError, UnexpectedToolCall } from "./agent.ts";
export type { Agent, AgentContext, AgentOutput, ModelChoice, SpanHandle, ToolDispatcher } from "./agent.ts";
export { ATTR, type Attributes, type Span } from "./trace.ts";
export { wrapTools } from "./wrap-tools.ts";
export type { ExampleResult, Report, Verdict } from "./report.ts";
export type { Comparison } from "./compare.ts";

/**
 * The config `moat serve` uses when no file is given: nothing to install, nothing secret in it.
 * OpenAI and Anthropic models work once OPENAI_API_KEY / ANTHROPIC_API_KEY are set; a local Ollama is
 * reached on its default port.
 */
export const DEFAULT_CONFIG_YAML = `
server:
  host: 127.0.0.1
  port: \${MOAT_PORT:-4100}
storage:
  url: \${DATABASE_URL:-}
providers:
  openai:
    type: openai
    apiKeyEnv: OPENAI_API_KEY
  anthropic:
    type: anthropic
    apiKeyEnv: ANTHROPIC_API_KEY
  ollama:
    type: openai-compatible
    baseUrl: http://127.0.0.1:11434/v1
models:
  - { name: "openai/*", provider: openai }
  - { name: "gpt-*", provider: openai, model: "gpt-*" }
  - { name: "o1*", provider: openai, model: "o1*", reasoning: true }
  - { name: "o3*", provider: openai, model: "o3*", reasoning: true }
  - { name: "o4*", provider: openai, model: "o4*", reasoning: true }
  - { name: "text-embedding-*", provider: openai, model: "text-embedding-*" }
  - { name: "anthropic/*", provider: anthropic }
  - { name: "claude-*", provider: anthropic, model: "claude-*" }
  - { name: "ollama/*", provider: ollama }
`;

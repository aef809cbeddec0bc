// The official OpenAI JS client used as a new user would, against two agents: FLEET_SCRIPTED_URL (the scripted model:
// fixed greedy text) and FLEET_RANDOM_URL (random weights: only a constraint makes JSON or a tool call). Prints what it
// observed as one JSON object; JsClientTests asserts on it.
import OpenAI from "openai";

const scripted = new OpenAI({ baseURL: process.env.FLEET_SCRIPTED_URL, apiKey: "unused" });
const random = new OpenAI({ baseURL: process.env.FLEET_RANDOM_URL, apiKey: "unused" });
const hello = [{ role: "user", content: "hello" }];
const out = {};

const greedy = await scripted.chat.completions.create({ model: "m", messages: hello, temperature: 0 });
out.greedy = greedy.choices[0].message.content;

const sample = async (seed, temperature) =>
  (await random.completions.create({ model: "m", prompt: "hello", max_tokens: 8, temperature, seed })).choices[0].text;
out.seeded = [await sample(7, 1), await sample(7, 1), await sample(8, 1)];
out.greedyTwice = [await sample(7, 0), await sample(8, 0)];

const withLogprobs = await scripted.chat.completions.create({ model: "m", messages: hello, temperature: 0, logprobs: true, top_logprobs: 2 });
out.logprobs = withLogprobs.choices[0].logprobs.content.map((t) => ({ token: t.token, logprob: t.logprob, top: t.top_logprobs.length }));

const two = await scripted.chat.completions.create({ model: "m", messages: hello, temperature: 0, n: 2 });
out.n2 = two.choices.map((c) => ({ index: c.index, content: c.message.content }));

const schema = {
  type: "object",
  properties: { size: { enum: ["small", "large"] }, ok: { type: "boolean" }, count: { type: "integer" } },
  required: ["size", "ok", "count"],
  additionalProperties: false,
};
const structured = await random.chat.completions.create({
  model: "m", messages: hello, temperature: 1, seed: 3, max_tokens: 200,
  response_format: { type: "json_schema", json_schema: { name: "reply", strict: true, schema } },
});
out.jsonSchema = JSON.parse(structured.choices[0].message.content);

const tools = [{
  type: "function",
  function: {
    name: "get_time", description: "The time in a zone",
    parameters: { type: "object", properties: { zone: { enum: ["utc", "cet"] }, exact: { type: "boolean" } }, required: ["zone", "exact"] },
  },
}];
const called = await random.chat.completions.create({
  model: "m", messages: [{ role: "user", content: "What time is it?" }], tools, tool_choice: "required",
  parallel_tool_calls: false, temperature: 0, max_tokens: 200,
});
const call = called.choices[0].message.tool_calls[0];
out.toolCall = { finish: called.choices[0].finish_reason, id: call.id, name: call.function.name, arguments: JSON.parse(call.function.arguments) };

const stream = await random.chat.completions.create({
  model: "m", messages: [{ role: "user", content: "What time is it?" }], tools, tool_choice: "required",
  parallel_tool_calls: false, temperature: 0, max_tokens: 200, stream: true,
});
let streamedName = "", streamedArguments = "", streamedFinish = null;
for await (const chunk of stream) {
  for (const part of chunk.choices[0]?.delta?.tool_calls ?? []) {
    streamedName += part.function?.name ?? "";
    streamedArguments += part.function?.arguments ?? "";
  }
  streamedFinish = chunk.choices[0]?.finish_reason ?? streamedFinish;
}
out.streamedToolCall = { finish: streamedFinish, name: streamedName, arguments: JSON.parse(streamedArguments) };

const long = [{ role: "system", content: "one two three four five six seven eight nine ten ".repeat(8) }, ...hello];
const first = await scripted.chat.completions.create({ model: "m", messages: long, temperature: 0, max_tokens: 2 });
const again = await scripted.chat.completions.create({ model: "m", messages: long, temperature: 0, max_tokens: 2 });
out.cached = [first.usage.prompt_tokens_details.cached_tokens, again.usage.prompt_tokens_details.cached_tokens, again.usage.prompt_tokens];

console.log(JSON.stringify(out));

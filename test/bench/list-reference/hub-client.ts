// Reference for `bun run bench list`, not part of csm: the least any client of the
// running hub can do for `csm list --json` (one file, no modules: read hub.json and the
// token, one GET /api/sessions, print). Its distance from the floor is the hub's answer
// plus one HTTP request; csm's distance from it is csm's own start-up.
const env = process.env;
const hub = (await Bun.file(`${env.XDG_STATE_HOME}/csm/hub.json`).json()) as { port: number };
const token = (await Bun.file(`${env.XDG_CONFIG_HOME}/csm/token`).text()).trim();
const response = await fetch(`http://127.0.0.1:${hub.port}/api/sessions`, { headers: { authorization: `Bearer ${token}` } });
await Bun.write(Bun.stdout, `${JSON.stringify(await response.json(), null, 2)}\n`);

export {};

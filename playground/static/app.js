// The playground's Chat client: polls /api/state, draws the spaces and their threads, and turns
// what a person does (add the app, write, click a card's button, fire an alarm) into POST /api/….
// Cards arrive drawn by the bot's preview; their inert action buttons are made live here, matched
// to what the server says each button does (text buttons by text, overflow menus in order).
"use strict";

const POLL_MS = 1000;
const page = { version: "", data: null, space: null, samplesDrawn: false };
const $ = (id) => document.getElementById(id);

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Playground": "1" },
    body: JSON.stringify(body || {}),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

async function poll() {
  try {
    const response = await fetch(`/api/state?v=${encodeURIComponent(page.version)}`);
    const data = await response.json();
    if (!data.same) {
      page.data = data;
      page.version = data.version;
      draw();
    }
  } catch (error) {
    say($("answer"), "The playground is not answering (stopped?).", true);
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function refresh() {
  page.version = "";
}

function currentSpace() {
  const spaces = page.data ? page.data.spaces : [];
  return spaces.find((space) => space.id === page.space) || spaces[0];
}

function draw() {
  const space = currentSpace();
  if (!space) return;
  page.space = space.id;
  $("me").textContent = initials(page.data.user.name);
  $("mention").textContent = `@${page.data.bot.displayName}`;
  $("add-app").textContent = `Add ${page.data.bot.displayName}`;
  drawSpaces(space);
  drawSamples();
  drawRoom(space);
}

function drawSpaces(current) {
  const list = $("spaces");
  list.replaceChildren(
    ...page.data.spaces.map((space) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = `pg-space${space.id === current.id ? " active" : ""}`;
      button.dataset.space = space.id;
      button.innerHTML = `<span class="pg-space-icon"></span><span class="pg-space-name"></span>`;
      button.querySelector(".pg-space-icon").textContent = space.name.slice(0, 1);
      button.querySelector(".pg-space-name").textContent = space.name;
      if (space.member) {
        const badge = document.createElement("span");
        badge.className = "pg-space-app";
        badge.textContent = "App";
        button.append(badge);
      }
      button.addEventListener("click", () => {
        page.space = space.id;
        draw();
      });
      item.append(button);
      return item;
    }),
  );
}

function drawSamples() {
  if (page.samplesDrawn) return;
  page.samplesDrawn = true;
  $("samples").replaceChildren(
    ...page.data.samples.map((sample) => {
      const item = document.createElement("li");
      item.className = "pg-sample";
      item.dataset.sample = sample.id;
      item.innerHTML =
        '<div class="pg-sample-text"><div class="pg-sample-name"></div><div class="pg-sample-kind"></div></div>' +
        '<button type="button" class="pg-chip pg-alarm" data-state="ALARM">ALARM</button>' +
        '<button type="button" class="pg-chip pg-ok" data-state="OK">OK</button>';
      item.querySelector(".pg-sample-name").textContent = sample.alarm;
      item.querySelector(".pg-sample-name").title = sample.alarm;
      item.querySelector(".pg-sample-kind").textContent = sample.label;
      for (const button of item.querySelectorAll("button")) {
        button.addEventListener("click", () => fire(sample, button.dataset.state, button));
      }
      return item;
    }),
  );
}

function drawRoom(space) {
  $("room-name").textContent = space.name;
  $("room-icon").textContent = space.name.slice(0, 1);
  const app = page.data.bot.displayName;
  $("room-sub").textContent = space.member ? `You and ${app}` : `${app} is not in this space`;
  $("add-app").hidden = space.member;
  $("remove-app").hidden = !space.member;
  document.querySelector(".pg-compose").classList.toggle("off", !space.member);
  const threads = $("threads");
  const atBottom = threads.scrollHeight - threads.scrollTop - threads.clientHeight < 80;
  const before = threads.dataset.space;
  if (!space.threads.length) {
    threads.innerHTML = '<div class="pg-empty"><strong></strong><span></span></div>';
    threads.querySelector("strong").textContent = space.member ? "No messages yet" : `Add ${app} to this space`;
    threads.querySelector("span").textContent = space.member
      ? "Type a command below, or fire an alarm from the left."
      : "It answers with its welcome card; then subscribe, and fire an alarm from the left.";
  } else {
    threads.innerHTML = space.threads.map((thread) => thread.html).join("\n");
    space.threads.forEach((thread, index) => liven(threads.children[index], space, thread.buttons));
  }
  threads.dataset.space = space.id;
  if (atBottom || before !== space.id) threads.scrollTop = threads.scrollHeight;
}

// Times and "Edited" in each message's header, and the live buttons of the app's messages.
function liven(element, space, buttons) {
  for (const message of element.querySelectorAll(".pg-msg")) {
    const meta = message.querySelector(".msg-meta");
    if (meta && message.dataset.time) {
      const when = document.createElement("span");
      when.className = "pg-when";
      when.textContent = new Date(message.dataset.time).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      meta.append(when);
      if (message.dataset.edited) {
        const edited = document.createElement("span");
        edited.className = "pg-edited";
        edited.textContent = "Edited";
        meta.append(edited);
      }
    }
    matchButtons(message, space, buttons[message.dataset.message] || []);
  }
}

function matchButtons(message, space, entries) {
  const used = new Set();
  for (const span of message.querySelectorAll('.btn[role="button"]:not(.disabled)')) {
    // An icon-only button shows its icon's name as text; it is the card's button without text.
    const label = span.classList.contains("icon-only") ? "" : span.textContent.trim();
    const index = entries.findIndex(
      (entry, at) => !used.has(at) && entry.text === label && (entry.function || entry.menu),
    );
    if (index < 0) continue;
    used.add(index);
    const entry = entries[index];
    span.classList.add("pg-live");
    span.tabIndex = 0;
    const act = () => (entry.menu ? openMenu(span, space, message.dataset.message, entry.menu) : click(span, space, message.dataset.message, entry));
    span.addEventListener("click", act);
    span.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        act();
      }
    });
  }
}

function openMenu(anchor, space, messageName, items) {
  const menu = $("menu");
  menu.replaceChildren(
    ...items.map((item) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = item.text;
      button.addEventListener("click", () => {
        menu.hidden = true;
        if (item.link) window.open(item.link, "_blank", "noopener,noreferrer");
        else click(anchor, space, messageName, item);
      });
      return button;
    }),
  );
  const box = anchor.getBoundingClientRect();
  menu.style.top = `${Math.min(box.bottom + 4, window.innerHeight - 40 * items.length - 24)}px`;
  menu.style.left = `${Math.max(box.right - 220, 8)}px`;
  menu.hidden = false;
}

async function click(span, space, messageName, entry) {
  span.classList.add("pg-busy");
  try {
    const answer = await post(`/api/spaces/${space.id}/click`, {
      message: messageName,
      function: entry.function,
      parameters: entry.parameters,
    });
    report(answer, `${entry.text || entry.function}`);
  } catch (error) {
    say($("answer"), `The click failed: ${error.message}`, true);
  } finally {
    span.classList.remove("pg-busy");
    refresh();
  }
}

async function act(path, body, what) {
  try {
    report(await post(path, body), what);
  } catch (error) {
    say($("answer"), `${what} failed: ${error.message}`, true);
  } finally {
    refresh();
  }
}

function report(answer, what) {
  const app = page.data ? page.data.bot.displayName : "The app";
  const shown = { NEW_MESSAGE: "with a new message", UPDATE_MESSAGE: "by updating the card in place" }[answer.shown] || "with nothing to show";
  const status = answer.status ? `${app} answered ${what} with HTTP ${answer.status} in ${answer.elapsedMs} ms, ${shown}` : `${app} did not answer ${what}`;
  say($("answer"), answer.error ? `${status}: ${answer.error}` : `${status}.`, Boolean(answer.error));
}

function say(element, text, bad) {
  element.textContent = text;
  element.classList.toggle("bad", Boolean(bad));
}

async function fire(sample, state, button) {
  button.disabled = true;
  try {
    const result = await post("/api/alarms", { sample: sample.id, state });
    say($("aws-status"), `${result.alarm} → ${result.state}, through the ${result.route}.`);
  } catch (error) {
    say($("aws-status"), `Could not fire it: ${error.message}`, true);
  } finally {
    button.disabled = false;
  }
}

async function storm() {
  const count = Number($("storm-count").value || 30);
  try {
    const result = await post("/api/storm", { count });
    say($("aws-status"), `${result.alarms} alarms → ALARM through the ${result.route}: a burst becomes a digest after the group window.`);
  } catch (error) {
    say($("aws-status"), `Could not start the storm: ${error.message}`, true);
  }
}

function initials(name) {
  return name.split(/\s+/).slice(0, 2).map((word) => word.slice(0, 1)).join("").toUpperCase();
}

function sendText(text) {
  const space = currentSpace();
  if (!space || !text.trim()) return;
  act(`/api/spaces/${space.id}/messages`, { text }, `“${text}”`);
}

document.addEventListener("DOMContentLoaded", () => {
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value;
    $("text").value = "";
    sendText(text);
  });
  for (const chip of document.querySelectorAll("[data-say]")) {
    chip.addEventListener("click", () => sendText(chip.dataset.say));
  }
  $("add-app").addEventListener("click", () => act(`/api/spaces/${currentSpace().id}/add`, {}, "being added"));
  $("remove-app").addEventListener("click", () => act(`/api/spaces/${currentSpace().id}/remove`, {}, "being removed"));
  $("storm").addEventListener("click", storm);
  document.addEventListener("click", (event) => {
    const menu = $("menu");
    if (!menu.hidden && !menu.contains(event.target) && !event.target.closest(".pg-live")) menu.hidden = true;
  });
  poll();
});

/*
 * Trợ lý 06 — web widget. No dependencies. Embed with one tag:
 *   <script src="https://gateway.example/widget.js" data-title="Trợ lý 06"
 *           data-color="#b71c1c" data-gateway="https://gateway.example" defer></script>
 * data-gateway defaults to the script's own origin.
 * Safety: message content is only ever written with textContent / text nodes.
 */
(function () {
  "use strict";

  if (window.TroLy06Widget) {
    return; // embedded twice: keep the first
  }

  var SENDER_KEY = "troly06.sender_id";
  var SENDER_RE = /^[A-Za-z0-9_.:@-]{1,64}$/;
  var COLOR_RE = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
  var URL_RE = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
  var TIMEOUT_MS = 45000;
  var MAX_CHARS = 2000;
  var TEXT = {
    open: "Mở cửa sổ trò chuyện với trợ lý",
    close: "Đóng cửa sổ trò chuyện",
    launcher: "Hỏi trợ lý",
    inputLabel: "Nhập câu hỏi",
    placeholder: "Nhập câu hỏi…",
    send: "Gửi",
    typing: "Trợ lý đang trả lời…",
    log: "Hội thoại với trợ lý",
    image: "Hình ảnh từ trợ lý",
    network: "Không kết nối được tới trợ lý. Anh/chị vui lòng kiểm tra kết nối mạng rồi thử lại.",
    timeout: "Trợ lý phản hồi quá lâu. Anh/chị vui lòng thử lại sau ít phút.",
    generic: "Xin lỗi anh/chị, trợ lý đang tạm thời gián đoạn. Anh/chị vui lòng thử lại sau ít phút.",
    tooLong: "Câu hỏi dài quá 2000 ký tự, anh/chị vui lòng rút gọn.",
  };

  function findScript() {
    if (document.currentScript) {
      return document.currentScript;
    }
    var scripts = document.querySelectorAll("script[src]");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/widget\.js(?:[?#]|$)/.test(scripts[i].src)) {
        return scripts[i];
      }
    }
    return null;
  }

  var script = findScript();
  var data = (script && script.dataset) || {};
  var scriptUrl = script && script.src ? new URL(script.src, location.href) : new URL(location.href);
  var config = {
    title: (data.title || "Trợ lý 06").slice(0, 80),
    color: COLOR_RE.test(data.color || "") ? data.color : "#b71c1c",
    gateway: (data.gateway || scriptUrl.origin).replace(/\/+$/, ""),
  };

  // ---- conversation id (web:<random>), kept in localStorage when available ----
  function randomId() {
    var bytes = new Uint8Array(12);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) {
        bytes[i] = Math.floor(Math.random() * 256);
      }
    }
    var hex = "";
    for (var j = 0; j < bytes.length; j++) {
      hex += (bytes[j] + 256).toString(16).slice(1);
    }
    return "web:" + hex;
  }

  function senderId() {
    var id = null;
    try {
      id = window.localStorage.getItem(SENDER_KEY);
    } catch (e) {
      id = null;
    }
    if (!id || !SENDER_RE.test(id)) {
      id = randomId();
      try {
        window.localStorage.setItem(SENDER_KEY, id);
      } catch (e) {
        /* storage blocked: the id lives for this page only */
      }
    }
    return id;
  }

  var sender = senderId();

  // ---- DOM helpers (no HTML strings anywhere) ----
  function el(tag, className, attrs) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        node.setAttribute(name, attrs[name]);
      });
    }
    return node;
  }

  /** Appends text with http(s) links made clickable; everything else stays plain text. */
  function appendLinkified(parent, text) {
    var last = 0;
    var match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      if (match.index > last) {
        parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      }
      var link = el("a", null, { href: match[0], target: "_blank", rel: "noopener noreferrer" });
      link.textContent = match[0];
      parent.appendChild(link);
      last = match.index + match[0].length;
    }
    if (last < text.length) {
      parent.appendChild(document.createTextNode(text.slice(last)));
    }
  }

  function loadStylesheet() {
    var href = new URL("widget.css", scriptUrl).href;
    if (document.querySelector('link[data-troly06="css"]')) {
      return;
    }
    var link = el("link", null, { rel: "stylesheet", href: href, "data-troly06": "css" });
    document.head.appendChild(link);
  }

  // ---- build the widget ----
  loadStylesheet();
  var uid = "troly06-" + Math.random().toString(36).slice(2, 8);
  var root = el("div", "troly-root", { "data-troly06": "widget" });
  root.style.setProperty("--troly-color", config.color);

  var launcher = el("button", "troly-launcher", {
    type: "button",
    "aria-label": TEXT.open + " " + config.title,
    "aria-expanded": "false",
    "aria-controls": uid + "-panel",
  });
  var SVG_NS = "http://www.w3.org/2000/svg";
  var icon = document.createElementNS(SVG_NS, "svg");
  icon.setAttribute("class", "troly-launcher-icon");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("width", "22");
  icon.setAttribute("height", "22");
  icon.setAttribute("aria-hidden", "true");
  icon.setAttribute("focusable", "false");
  var bubblePath = document.createElementNS(SVG_NS, "path");
  bubblePath.setAttribute("fill", "currentColor");
  bubblePath.setAttribute(
    "d",
    "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"
  );
  icon.appendChild(bubblePath);
  var launcherText = el("span", "troly-launcher-text");
  launcherText.textContent = TEXT.launcher;
  launcher.appendChild(icon);
  launcher.appendChild(launcherText);

  var panel = el("div", "troly-panel", {
    id: uid + "-panel",
    role: "dialog",
    "aria-labelledby": uid + "-title",
  });
  panel.hidden = true;

  var header = el("div", "troly-header");
  var title = el("h2", "troly-title", { id: uid + "-title" });
  title.textContent = config.title;
  var closeButton = el("button", "troly-close", { type: "button", "aria-label": TEXT.close });
  closeButton.textContent = "×";
  header.appendChild(title);
  header.appendChild(closeButton);

  var log = el("div", "troly-log", {
    role: "log",
    "aria-live": "polite",
    "aria-label": TEXT.log,
    tabindex: "0",
  });

  var typing = el("div", "troly-typing", { role: "status" });
  typing.textContent = TEXT.typing;
  typing.hidden = true;

  var form = el("form", "troly-form", { novalidate: "" });
  var label = el("label", "troly-visually-hidden", { for: uid + "-input" });
  label.textContent = TEXT.inputLabel;
  var input = el("input", "troly-input", {
    id: uid + "-input",
    type: "text",
    name: "message",
    autocomplete: "off",
    maxlength: String(MAX_CHARS),
    placeholder: TEXT.placeholder,
  });
  var sendButton = el("button", "troly-send", { type: "submit" });
  sendButton.textContent = TEXT.send;
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendButton);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  // ---- rendering ----
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function addBubble(kind, text) {
    var bubble = el("div", "troly-msg troly-msg--" + kind);
    if (kind === "bot") {
      appendLinkified(bubble, text);
    } else {
      bubble.textContent = text;
    }
    log.appendChild(bubble);
    scrollToEnd();
    return bubble;
  }

  function safeImageUrl(value) {
    try {
      var url = new URL(String(value), config.gateway + "/");
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function renderBotMessage(message) {
    if (message.text) {
      addBubble("bot", String(message.text));
    }
    if (message.image) {
      var src = safeImageUrl(message.image);
      if (src) {
        var img = el("img", "troly-image", { alt: TEXT.image, loading: "lazy" });
        img.src = src;
        img.addEventListener("load", scrollToEnd);
        log.appendChild(img);
      }
    }
    var buttons = Array.isArray(message.buttons) ? message.buttons : [];
    if (buttons.length) {
      var group = el("div", "troly-buttons", { role: "group" });
      buttons.forEach(function (b) {
        if (!b || !b.payload) {
          return;
        }
        var choice = el("button", "troly-choice", { type: "button" });
        choice.textContent = String(b.title || b.payload);
        choice.addEventListener("click", function () {
          send(String(b.payload), String(b.title || b.payload), false);
        });
        group.appendChild(choice);
      });
      log.appendChild(group);
    }
    scrollToEnd();
  }

  // ---- talking to the gateway ----
  var busy = false;

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    sendButton.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
    if (value) {
      scrollToEnd();
    }
  }

  function errorText(status, body) {
    if (body && body.error && typeof body.error.message === "string" && body.error.message) {
      return body.error.message;
    }
    return TEXT.generic;
  }

  /**
   * Sends one message. `shown` is the user's bubble (null for /greet); `fromInput` means the
   * text came from the input, which is cleared only once the assistant has answered.
   */
  function send(message, shown, fromInput) {
    if (busy || !message) {
      return Promise.resolve(false);
    }
    if (message.length > MAX_CHARS) {
      addBubble("error", TEXT.tooLong);
      return Promise.resolve(false);
    }
    if (shown) {
      addBubble("user", shown);
    }
    setBusy(true);
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller
      ? setTimeout(function () {
          controller.abort();
        }, TIMEOUT_MS)
      : null;
    return fetch(config.gateway + "/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender_id: sender, message: message }),
      signal: controller ? controller.signal : undefined,
      credentials: "omit",
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            if (!response.ok || !body || !Array.isArray(body.messages)) {
              addBubble("error", errorText(response.status, body));
              return false;
            }
            body.messages.forEach(renderBotMessage);
            if (fromInput && input.value.trim() === message) {
              input.value = "";
            }
            return true;
          });
      })
      .catch(function (err) {
        addBubble("error", err && err.name === "AbortError" ? TEXT.timeout : TEXT.network);
        return false;
      })
      .then(function (ok) {
        if (timer) {
          clearTimeout(timer);
        }
        setBusy(false);
        return ok;
      });
  }

  // ---- open / close ----
  var greeted = false;

  function open() {
    if (!panel.hidden) {
      input.focus();
      return;
    }
    panel.hidden = false;
    root.classList.add("troly-open");
    launcher.setAttribute("aria-expanded", "true");
    input.focus();
    if (!greeted) {
      greeted = true;
      send("/greet", null, false).then(function (ok) {
        greeted = ok; // a failed greeting is retried on the next open
      });
    }
  }

  function close() {
    if (panel.hidden) {
      return;
    }
    panel.hidden = true;
    root.classList.remove("troly-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) {
      open();
    } else {
      close();
    }
  });
  closeButton.addEventListener("click", close);
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) {
      return;
    }
    send(text, text, true);
  });

  function mount() {
    document.body.appendChild(root);
  }

  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }

  window.TroLy06Widget = { open: open, close: close, config: config };
})();

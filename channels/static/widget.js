/*
 * Trợ lý 06 — web widget. No dependencies. Embed with one tag:
 *   <script src="https://gateway.example/widget.js" data-title="Trợ lý 06"
 *           data-color="#b71c1c" data-gateway="https://gateway.example" defer></script>
 * data-gateway defaults to the script's own origin.
 * Safety: message content is only ever written with textContent / text nodes.
 * Officials' mode: the login token lives only in a variable of this closure (never in storage
 * or cookies), is sent as "Authorization: Bearer …" on /api/chat and is dropped on log-out,
 * on a 401 and when it expires.
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
    open: "mở cửa sổ trò chuyện với",
    close: "Đóng cửa sổ trò chuyện",
    launcher: "Hỏi trợ lý",
    inputLabel: "Nhập câu hỏi",
    placeholder: "Nhập câu hỏi…",
    send: "Gửi",
    typing: "Trợ lý đang trả lời…",
    log: "Hội thoại với trợ lý",
    image: "Hình ảnh từ trợ lý",
    chart: "Biểu đồ số liệu",
    network: "Không kết nối được tới trợ lý. Anh/chị vui lòng kiểm tra kết nối mạng rồi thử lại.",
    timeout: "Trợ lý phản hồi quá lâu. Anh/chị vui lòng thử lại sau ít phút.",
    generic: "Xin lỗi anh/chị, trợ lý đang tạm thời gián đoạn. Anh/chị vui lòng thử lại sau ít phút.",
    tooLong: "Câu hỏi dài quá 2000 ký tự, anh/chị vui lòng rút gọn.",
    staffLogin: "Cán bộ đăng nhập",
    deleteData: "Xóa dữ liệu của tôi",
    staffMode: "Chế độ cán bộ: ",
    logout: "Đăng xuất",
    loginForm: "Đăng nhập dành cho cán bộ",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    loginSubmit: "Đăng nhập",
    loggingIn: "Đang đăng nhập…",
    loginCancel: "Hủy",
    loginMissing: "Anh/chị vui lòng nhập tên đăng nhập và mật khẩu.",
    loginFailed: "Tên đăng nhập hoặc mật khẩu không đúng. Anh/chị vui lòng kiểm tra lại và thử lại.",
    loginNetwork: "Không kết nối được tới máy chủ để đăng nhập. Anh/chị vui lòng thử lại.",
    loginRateLimited: "Anh/chị đã thử đăng nhập quá nhiều lần. Vui lòng đợi khoảng {s} giây rồi thử lại.",
    loggedIn: "Đã đăng nhập chế độ cán bộ",
    loggedOut: "Đã đăng xuất. Trợ lý trở lại chế độ người dân.",
    expired:
      "Phiên đăng nhập cán bộ đã hết hạn, trợ lý trở lại chế độ người dân. " +
      "Anh/chị vui lòng đăng nhập lại để tiếp tục ở chế độ cán bộ.",
    relogin: "Thông tin đăng nhập không còn hiệu lực. Anh/chị vui lòng đăng nhập lại.",
    backToCitizen: " Trợ lý đã trở lại chế độ người dân.",
    keptInInput: " Tin nhắn vừa rồi chưa được gửi và vẫn còn trong ô nhập.",
    rateGroup: "Câu trả lời này có đúng điều anh/chị cần không?",
    helpful: "Hữu ích",
    wrong: "Chưa đúng",
    reasonGroup: "Chưa đúng ở điểm nào?",
    reasons: [
      ["wrong_info", "Thông tin sai"],
      ["not_what_i_asked", "Không đúng điều tôi hỏi"],
      ["hard_to_understand", "Khó hiểu"],
      ["", "Bỏ qua"],
    ],
    rateFailed: "Chưa gửi được đánh giá. Anh/chị vui lòng thử lại.",
    askPerson: "Gặp cán bộ",
    staffSays: "Cán bộ: ",
  };
  var HANDOFF_POLL_MS = 4000;
  var OPEN_HANDOFF = { waiting: true, held: true };
  var RATEABLE = { answer: true, partial: true }; // answers from a card or a procedure

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
    // the name starts with the visible text (WCAG 2.5.3, label in name)
    "aria-label": TEXT.launcher + ": " + TEXT.open + " " + config.title,
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
  var headerRow = el("div", "troly-header-row");
  var title = el("h2", "troly-title", { id: uid + "-title" });
  title.textContent = config.title;
  var closeButton = el("button", "troly-close", { type: "button", "aria-label": TEXT.close });
  closeButton.textContent = "×";
  headerRow.appendChild(title);
  headerRow.appendChild(closeButton);

  // Officials' bar: "Cán bộ đăng nhập" for citizens; badge + "Đăng xuất" in officials' mode.
  var staffBar = el("div", "troly-staff");
  var loginToggle = el("button", "troly-staff-button", {
    type: "button",
    "aria-expanded": "false",
    "aria-controls": uid + "-login",
  });
  loginToggle.textContent = TEXT.staffLogin;
  var badge = el("span", "troly-badge");
  badge.hidden = true;
  var logoutButton = el("button", "troly-staff-button", { type: "button" });
  logoutButton.textContent = TEXT.logout;
  logoutButton.hidden = true;
  // the citizen's right to erasure, one click away (the gateway asks for confirmation)
  var deleteButton = el("button", "troly-staff-button", { type: "button" });
  deleteButton.textContent = TEXT.deleteData;
  staffBar.appendChild(badge);
  staffBar.appendChild(loginToggle);
  staffBar.appendChild(logoutButton);
  staffBar.appendChild(deleteButton);
  header.appendChild(headerRow);
  header.appendChild(staffBar);

  var loginForm = el("form", "troly-login", {
    id: uid + "-login",
    novalidate: "",
    "aria-label": TEXT.loginForm,
  });
  loginForm.hidden = true;
  var userLabel = el("label", "troly-login-label", { for: uid + "-user" });
  userLabel.textContent = TEXT.username;
  var userInput = el("input", "troly-login-input", {
    id: uid + "-user",
    type: "text",
    name: "username",
    autocomplete: "username",
    autocapitalize: "none",
    spellcheck: "false",
    maxlength: "200",
  });
  var passLabel = el("label", "troly-login-label", { for: uid + "-pass" });
  passLabel.textContent = TEXT.password;
  var passInput = el("input", "troly-login-input", {
    id: uid + "-pass",
    type: "password",
    name: "password",
    autocomplete: "current-password",
    maxlength: "1000",
  });
  var loginError = el("p", "troly-login-error", { role: "alert" });
  var loginActions = el("div", "troly-login-actions");
  var loginSubmit = el("button", "troly-send", { type: "submit" });
  loginSubmit.textContent = TEXT.loginSubmit;
  var loginCancel = el("button", "troly-login-cancel", { type: "button" });
  loginCancel.textContent = TEXT.loginCancel;
  loginActions.appendChild(loginSubmit);
  loginActions.appendChild(loginCancel);
  loginForm.appendChild(userLabel);
  loginForm.appendChild(userInput);
  loginForm.appendChild(passLabel);
  loginForm.appendChild(passInput);
  loginForm.appendChild(loginError);
  loginForm.appendChild(loginActions);

  // Announcements that are not part of the conversation (login, log-out).
  var announcer = el("div", "troly-visually-hidden", { role: "status", "aria-live": "polite" });

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
  panel.appendChild(loginForm);
  panel.appendChild(announcer);
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
    if (session) {
      bubble.classList.add("troly-msg--staff"); // removed at log-out: figures stay private
    }
    if (kind === "bot") {
      appendLinkified(bubble, text);
    } else {
      bubble.textContent = text;
    }
    log.appendChild(bubble);
    scrollToEnd();
    return bubble;
  }

  /**
   * An http(s) URL for a message image. Paths from the gateway ("/api/charts/…") are resolved
   * against the configured gateway, keeping a path prefix such as https://host/troly06.
   */
  function safeImageUrl(value) {
    var raw = String(value).trim();
    try {
      var base = new URL(config.gateway + "/", location.href);
      var url =
        raw.charAt(0) === "/" && raw.charAt(1) !== "/" && raw.charAt(1) !== "\\"
          ? new URL(base.href.replace(/\/+$/, "") + raw)
          : new URL(raw, base);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function imageAlt(src) {
    return /\/charts\//.test(new URL(src).pathname) ? TEXT.chart : TEXT.image;
  }

  function renderBotMessage(message) {
    if (message.text) {
      addBubble("bot", String(message.text));
    }
    if (message.image) {
      var src = safeImageUrl(message.image);
      if (src) {
        var img = el("img", "troly-image" + (session ? " troly-msg--staff" : ""), {
          alt: imageAlt(src),
          loading: "lazy",
        });
        img.src = src;
        img.addEventListener("load", scrollToEnd);
        log.appendChild(img);
      }
    }
    if (message.text && RATEABLE[message.kind] && message.source) {
      log.appendChild(ratingGroup(String(message.source)));
    }
    if (message.kind === "fallback") {
      log.appendChild(askPersonButton());
    }
    if (message.kind === "handoff") {
      startHandoffPolling();
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

  // ---- a person: the "Gặp cán bộ" button, and staff messages while they hold the chat ----
  function askPersonButton() {
    var group = el("div", "troly-buttons", { role: "group" });
    var button = el("button", "troly-choice", { type: "button" });
    button.textContent = TEXT.askPerson;
    button.addEventListener("click", function () {
      send("/request_human", TEXT.askPerson, false);
    });
    group.appendChild(button);
    return group;
  }

  var handoff = { timer: null, after: 0 };

  function startHandoffPolling() {
    if (!handoff.timer) {
      handoff.timer = setInterval(function () {
        pollHandoff(false);
      }, HANDOFF_POLL_MS);
    }
  }

  function stopHandoffPolling() {
    clearInterval(handoff.timer);
    handoff.timer = null;
  }

  function pollHandoff(resuming) {
    var url = config.gateway + "/api/chat/updates?sender_id=" + encodeURIComponent(sender) +
      "&after=" + handoff.after;
    return fetch(url, { credentials: "omit", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (body) {
        if (!body) {
          return;
        }
        if (resuming === true && !OPEN_HANDOFF[body.status]) {
          handoff.after = body.last_id || handoff.after; // an ended handoff is not replayed
          return;
        }
        (body.messages || []).forEach(function (m) {
          var bubble = addBubble("bot", (m.author === "staff" ? TEXT.staffSays : "") + m.text);
          if (m.author === "staff") {
            bubble.classList.add("troly-msg--from-staff");
          }
        });
        handoff.after = body.last_id || handoff.after;
        if (OPEN_HANDOFF[body.status]) {
          startHandoffPolling();
        } else {
          stopHandoffPolling();
        }
      })
      .catch(function () {}); // the next poll tries again
  }

  // ---- rating an answer: "Hữu ích" / "Chưa đúng" (and why) ----
  function ratingGroup(source) {
    var group = el("div", "troly-rating", { role: "group", "aria-label": TEXT.rateGroup });
    var helpful = el("button", "troly-rate", { type: "button" });
    helpful.textContent = TEXT.helpful;
    var wrong = el("button", "troly-rate", { type: "button" });
    wrong.textContent = TEXT.wrong;
    helpful.addEventListener("click", function () {
      rate(group, source, "helpful", null);
    });
    wrong.addEventListener("click", function () {
      askReason(group, source);
    });
    group.appendChild(helpful);
    group.appendChild(wrong);
    return group;
  }

  function askReason(group, source) {
    group.textContent = "";
    group.setAttribute("aria-label", TEXT.reasonGroup);
    var first = null;
    TEXT.reasons.forEach(function (pair) {
      var choice = el("button", "troly-rate", { type: "button" });
      choice.textContent = pair[1];
      choice.addEventListener("click", function () {
        rate(group, source, "wrong", pair[0] || null);
      });
      group.appendChild(choice);
      first = first || choice;
    });
    first.focus();
  }

  function rate(group, source, rating, reason) {
    var buttons = group.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) {
      b.disabled = true;
    });
    var payload = { sender_id: sender, source: source, rating: rating };
    if (reason) {
      payload.reason = reason;
    }
    return postJson("/api/feedback", payload, { "Content-Type": "application/json" }, true)
      .then(function (reply) {
        if (!reply.response.ok || !reply.body || !reply.body.message) {
          throw new Error("rating refused");
        }
        var thanks = el("p", "troly-rated");
        thanks.textContent = String(reply.body.message);
        group.replaceWith(thanks);
        announce(thanks.textContent);
        if (rating === "wrong") {
          thanks.after(askPersonButton());
        }
      })
      .catch(function () {
        Array.prototype.forEach.call(buttons, function (b) {
          b.disabled = false;
        });
        announce(TEXT.rateFailed);
      });
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

  function errorText(status, body, fallback) {
    if (body && body.error && typeof body.error.message === "string" && body.error.message) {
      return body.error.message;
    }
    return fallback || TEXT.generic;
  }

  function announce(text) {
    announcer.textContent = "";
    setTimeout(function () {
      announcer.textContent = text; // emptied first so a repeated sentence is read again
    }, 50);
  }

  // ---- officials' mode: the login token lives only in this variable, never in storage ----
  var session = null; // { token, username, expiresAt, timer }
  var DEFAULT_EXPIRES_S = 900;
  var EXPIRY_MARGIN_MS = 5000; // give up a few seconds early rather than send a dying token
  var MAX_TIMER_MS = 2147483647;

  function renderMode() {
    var official = session !== null;
    badge.textContent = official ? TEXT.staffMode + session.username : "";
    badge.hidden = !official;
    logoutButton.hidden = !official;
    loginToggle.hidden = official;
    root.classList.toggle("troly-official", official);
  }

  function endSession() {
    if (session && session.timer) {
      clearTimeout(session.timer);
    }
    session = null;
    renderMode();
  }

  function expireSession() {
    if (session) {
      endSession();
      addBubble("error", TEXT.expired);
    }
  }

  /** Ends the session once its time is up; timers may fire late (sleep) or early (clamping). */
  function checkExpiry() {
    if (!session) {
      return;
    }
    var left = session.expiresAt - Date.now();
    if (left <= 0) {
      expireSession();
    } else if (!session.timer) {
      session.timer = setTimeout(function () {
        if (session) {
          session.timer = null;
        }
        checkExpiry();
      }, Math.min(left, MAX_TIMER_MS));
    }
  }

  function startSession(username, token, expiresIn) {
    endSession();
    var seconds = Number(expiresIn);
    var ms = (isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_EXPIRES_S) * 1000;
    var lifetime = ms - Math.min(EXPIRY_MARGIN_MS, ms / 10);
    session = { token: token, username: username, expiresAt: Date.now() + lifetime, timer: null };
    renderMode();
    checkExpiry();
  }

  /** The bearer token for the next request, or null (citizen). */
  function currentToken() {
    checkExpiry();
    return session ? session.token : null;
  }

  // POST JSON to the gateway, aborted after TIMEOUT_MS; resolves to {response, body} (body is
  // null when the reply is not JSON), rejects on network errors and timeouts.
  function postJson(path, payload, headers, noStore) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller
      ? setTimeout(function () {
          controller.abort();
        }, TIMEOUT_MS)
      : null;
    var options = {
      method: "POST",
      headers: headers,
      body: JSON.stringify(payload),
      signal: controller ? controller.signal : undefined,
      credentials: "omit",
    };
    if (noStore) {
      options.cache = "no-store";
    }
    function stopTimer() {
      if (timer) {
        clearTimeout(timer);
      }
    }
    return fetch(config.gateway + path, options)
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            return { response: response, body: body };
          });
      })
      .then(
        function (reply) {
          stopTimer();
          return reply;
        },
        function (err) {
          stopTimer();
          throw err;
        }
      );
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
    var token = currentToken(); // an expired session says so before the question is shown
    if (shown) {
      addBubble("user", shown);
    }
    setBusy(true);
    var headers = { "Content-Type": "application/json" };
    if (token) {
      headers.Authorization = "Bearer " + token;
    }
    return postJson("/api/chat", { sender_id: sender, message: message }, headers, false)
      .then(function (reply) {
        var response = reply.response;
        var body = reply.body;
        if (response.status === 401 && token) {
          // bad or expired token: back to citizen mode, the question stays in the input
          if (session && session.token === token) {
            endSession();
          }
          if (fromInput && !input.value.trim()) {
            input.value = message;
          }
          addBubble(
            "error",
            errorText(response.status, body, TEXT.relogin) +
              TEXT.backToCitizen +
              (fromInput ? TEXT.keptInInput : "")
          );
          return false;
        }
        if (!response.ok || !body || !Array.isArray(body.messages)) {
          addBubble("error", errorText(response.status, body));
          return false;
        }
        body.messages.forEach(renderBotMessage);
        if (fromInput && input.value.trim() === message) {
          input.value = "";
        }
        return true;
      })
      .catch(function (err) {
        addBubble("error", err && err.name === "AbortError" ? TEXT.timeout : TEXT.network);
        return false;
      })
      .then(function (ok) {
        setBusy(false);
        return ok;
      });
  }

  // ---- officials' login form ----
  var loginBusy = false;
  var loginSeq = 0; // a reply to a cancelled attempt is ignored

  function setLoginBusy(value) {
    loginBusy = value;
    loginSubmit.disabled = value;
    loginSubmit.textContent = value ? TEXT.loggingIn : TEXT.loginSubmit;
    loginForm.setAttribute("aria-busy", value ? "true" : "false");
  }

  function showLoginForm() {
    loginForm.hidden = false;
    loginToggle.setAttribute("aria-expanded", "true");
    loginError.textContent = "";
    (userInput.value ? passInput : userInput).focus();
  }

  function hideLoginForm(focusTarget) {
    loginSeq++;
    setLoginBusy(false);
    loginForm.hidden = true;
    loginToggle.setAttribute("aria-expanded", "false");
    loginError.textContent = "";
    passInput.value = "";
    if (focusTarget && !focusTarget.hidden) {
      focusTarget.focus();
    }
  }

  function failLogin(text) {
    passInput.value = "";
    loginError.textContent = text;
    passInput.focus();
  }

  function loginErrorText(response, body) {
    if (response.status === 429 && !(body && body.error && body.error.message)) {
      return TEXT.loginRateLimited.replace("{s}", response.headers.get("Retry-After") || "60");
    }
    return errorText(response.status, body, response.status === 401 ? TEXT.loginFailed : null);
  }

  function logIn() {
    var username = userInput.value.trim();
    if (!username || !passInput.value) {
      loginError.textContent = TEXT.loginMissing;
      (username ? passInput : userInput).focus();
      return;
    }
    var seq = ++loginSeq;
    loginError.textContent = "";
    setLoginBusy(true);
    postJson(
      "/api/auth/login",
      { username: username, password: passInput.value },
      { "Content-Type": "application/json" },
      true
    )
      .then(function (reply) {
        var response = reply.response;
        var body = reply.body;
        if (seq !== loginSeq) {
          return;
        }
        if (response.ok && body && typeof body.access_token === "string" && body.access_token) {
          startSession(username.toLowerCase(), body.access_token, body.expires_in);
          hideLoginForm(input);
          announce(TEXT.loggedIn + ": " + session.username);
          return;
        }
        failLogin(loginErrorText(response, body));
      })
      .catch(function (err) {
        if (seq === loginSeq) {
          failLogin(err && err.name === "AbortError" ? TEXT.timeout : TEXT.loginNetwork);
        }
      })
      .then(function () {
        if (seq === loginSeq) {
          setLoginBusy(false);
        }
      });
  }

  function logOut() {
    if (!session) {
      return;
    }
    var token = session.token;
    // the token ends at the gateway too, not only in this page
    postJson("/api/auth/logout", {}, {
      "Content-Type": "application/json",
      Authorization: "Bearer " + token,
    }, true).catch(function () {});
    Array.prototype.slice
      .call(log.querySelectorAll(".troly-msg--staff"))
      .forEach(function (node) {
        node.remove();
      });
    endSession();
    hideLoginForm(loginToggle);
    announce(TEXT.loggedOut);
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
        pollHandoff(true); // a conversation left with staff (page reloaded) goes on
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
      if (!loginForm.hidden && loginForm.contains(event.target)) {
        hideLoginForm(loginToggle); // Escape in the login form closes just the form
      } else {
        close();
      }
    }
  });
  deleteButton.addEventListener("click", function () {
    send("/privacy_delete", TEXT.deleteData, false);
  });

  loginToggle.addEventListener("click", function () {
    if (loginForm.hidden) {
      showLoginForm();
    } else {
      hideLoginForm(loginToggle);
    }
  });
  loginCancel.addEventListener("click", function () {
    hideLoginForm(loginToggle);
  });
  loginForm.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!loginBusy) {
      logIn();
    }
  });
  logoutButton.addEventListener("click", logOut);
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

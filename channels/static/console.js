/* Staff console of Trợ lý 06: the handoff queue, take, reply, hand back, close.
 * The login token lives only in a variable (never in storage); no external resources. */
(function () {
  "use strict";

  var POLL_MS = 4000;
  var AUTHORS = { citizen: "Người dân", assistant: "Trợ lý", staff: "Cán bộ" };
  var CHANNELS = { web: "Trang web", zalo: "Zalo" };
  var session = null; // { token, username }
  var current = null; // id of the conversation shown
  var timer = null;

  function $(id) {
    return document.getElementById(id);
  }

  function say(text) {
    $("status").textContent = text;
  }

  function api(method, path, body) {
    var headers = { Accept: "application/json" };
    if (session) {
      headers.Authorization = "Bearer " + session.token;
    }
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    return fetch(path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return null;
        })
        .then(function (data) {
          if (response.status === 401 && session) {
            logOut("Phiên đăng nhập đã hết hạn. Anh/chị vui lòng đăng nhập lại.");
          }
          return { ok: response.ok, status: response.status, data: data };
        });
    });
  }

  function errorOf(reply, fallback) {
    var error = reply.data && reply.data.error;
    return (error && error.message) || fallback;
  }

  function minutes(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + " phút " + (s < 10 ? "0" : "") + s + " giây";
  }

  // ---- login ----
  function logIn(event) {
    event.preventDefault();
    var username = $("username").value.trim();
    var password = $("password").value;
    if (!username || !password) {
      $("login-error").textContent = "Anh/chị vui lòng nhập tên đăng nhập và mật khẩu.";
      return;
    }
    api("POST", "/api/auth/login", { username: username, password: password }).then(
      function (reply) {
        $("password").value = "";
        if (!reply.ok || !reply.data || !reply.data.access_token) {
          $("login-error").textContent = errorOf(reply, "Không đăng nhập được.");
          return;
        }
        session = { token: reply.data.access_token, username: username };
        $("login-error").textContent = "";
        $("login").hidden = true;
        $("queue").hidden = false;
        $("who").hidden = false;
        $("who").textContent = "Cán bộ: " + username;
        $("logout").hidden = false;
        refresh().then(function () {
          $("queue-title").setAttribute("tabindex", "-1");
          $("queue-title").focus();
        });
        timer = setInterval(refresh, POLL_MS);
      },
      function () {
        $("login-error").textContent = "Không kết nối được tới máy chủ. Anh/chị vui lòng thử lại.";
      }
    );
  }

  function logOut(message) {
    if (session) {
      api("POST", "/api/auth/logout").catch(function () {});
    }
    session = null;
    current = null;
    clearInterval(timer);
    $("queue").hidden = true;
    $("conversation").hidden = true;
    $("who").hidden = true;
    $("logout").hidden = true;
    $("login").hidden = false;
    say(message || "Đã đăng xuất.");
    $("username").focus();
  }

  // ---- queue ----
  function refresh() {
    return api("GET", "/api/staff/handoffs").then(function (reply) {
      if (!reply.ok) {
        if (session) {
          say(errorOf(reply, "Không tải được hàng chờ."));
        }
        return;
      }
      renderQueue(reply.data.items || []);
      if (current !== null) {
        loadTranscript(current, false);
      }
    });
  }

  function renderQueue(items) {
    var rows = $("queue-rows");
    rows.textContent = "";
    var waiting = items.filter(function (i) {
      return i.status === "waiting";
    }).length;
    $("queue-summary").textContent = waiting
      ? "Có " + waiting + " cuộc trò chuyện đang chờ cán bộ."
      : "Chưa có cuộc trò chuyện nào đang chờ.";
    items.forEach(function (item) {
      var tr = document.createElement("tr");
      var cells = [
        item.position ? String(item.position) : "–",
        CHANNELS[item.channel] || item.channel,
        item.topic || "(chưa rõ)",
        minutes(item.waiting_seconds),
        item.status === "waiting" ? "Đang chờ" : "Cán bộ " + item.taken_by + " đang nhận",
      ];
      cells.forEach(function (text) {
        var td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      });
      var action = document.createElement("td");
      if (item.status === "waiting" || item.taken_by === session.username) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = item.status === "waiting" ? "Nhận" : "Mở";
        button.setAttribute(
          "aria-label",
          button.textContent + " cuộc trò chuyện " + (item.position || "") + " (" +
            (CHANNELS[item.channel] || item.channel) + ")"
        );
        button.addEventListener("click", function () {
          take(item.id);
        });
        action.appendChild(button);
      }
      tr.appendChild(action);
      rows.appendChild(tr);
    });
  }

  function take(id) {
    api("POST", "/api/staff/handoffs/" + id + "/take").then(function (reply) {
      if (!reply.ok) {
        say(errorOf(reply, "Không nhận được cuộc trò chuyện này."));
        refresh();
        return;
      }
      current = id;
      renderTranscript(reply.data);
      $("conversation").hidden = false;
      $("reply").focus();
      say("Đã nhận cuộc trò chuyện.");
    });
  }

  // ---- conversation ----
  function loadTranscript(id, announce) {
    return api("GET", "/api/staff/handoffs/" + id + "/messages").then(function (reply) {
      if (reply.ok) {
        renderTranscript(reply.data);
      } else if (announce) {
        say(errorOf(reply, "Không tải được cuộc trò chuyện."));
      }
    });
  }

  function renderTranscript(data) {
    var list = $("transcript");
    var shown = list.children.length;
    list.textContent = "";
    (data.messages || []).forEach(function (message) {
      var li = document.createElement("li");
      li.className = message.author;
      var author = document.createElement("span");
      author.className = "author";
      author.textContent = AUTHORS[message.author] || message.author;
      li.appendChild(author);
      li.appendChild(document.createTextNode(message.text));
      list.appendChild(li);
    });
    if (shown && list.children.length > shown) {
      var last = data.messages[data.messages.length - 1];
      if (last.author === "citizen") {
        say("Người dân vừa gửi tin nhắn mới.");
      }
    }
  }

  function sendReply(event) {
    event.preventDefault();
    var text = $("reply").value.trim();
    if (!text) {
      $("reply-error").textContent = "Anh/chị vui lòng nhập nội dung trả lời.";
      return;
    }
    api("POST", "/api/staff/handoffs/" + current + "/reply", { text: text }).then(function (reply) {
      if (!reply.ok) {
        $("reply-error").textContent = errorOf(reply, "Chưa gửi được trả lời.");
        return;
      }
      $("reply-error").textContent = "";
      $("reply").value = "";
      say("Đã gửi trả lời.");
      loadTranscript(current, true);
    });
  }

  function finish(kind, done) {
    api("POST", "/api/staff/handoffs/" + current + "/" + kind).then(function (reply) {
      if (!reply.ok) {
        $("reply-error").textContent = errorOf(reply, "Chưa thực hiện được.");
        return;
      }
      current = null;
      $("conversation").hidden = true;
      $("transcript").textContent = "";
      say(done);
      refresh();
      $("queue-title").focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("login-form").addEventListener("submit", logIn);
    $("logout").addEventListener("click", function () {
      logOut();
    });
    $("reply-form").addEventListener("submit", sendReply);
    $("hand-back").addEventListener("click", function () {
      finish("hand-back", "Đã trả cuộc trò chuyện lại cho trợ lý.");
    });
    $("close").addEventListener("click", function () {
      finish("close", "Đã kết thúc cuộc trò chuyện.");
    });
    $("username").focus();
  });
})();

/* Staff console of Trợ lý 06: the handoff queue (take, reply, hand back, close) and the
 * analytics ("Thống kê", also for officials of a served province: only that).
 * The login token lives only in a variable (never in storage); no external resources. */
(function () {
  "use strict";

  var POLL_MS = 4000;
  var AUTHORS = { citizen: "Người dân", assistant: "Trợ lý", staff: "Cán bộ" };
  var CHANNELS = { web: "Trang web", zalo: "Zalo", zalooa: "Zalo OA", other: "Khác" };
  var STAFF_ROLES = ["one_stop_staff", "admin"];
  var session = null; // { token, username, role }
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
        session = { token: reply.data.access_token, username: username, role: reply.data.role };
        $("login-error").textContent = "";
        $("login").hidden = true;
        $("who").hidden = false;
        $("who").textContent = "Cán bộ: " + username;
        $("logout").hidden = false;
        if (STAFF_ROLES.indexOf(session.role) < 0) {
          showView("analytics"); // officials: the analytics of their province, no queue
          return;
        }
        $("views").hidden = false;
        showView("queue");
        refresh();
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
    $("views").hidden = true;
    $("queue").hidden = true;
    $("conversation").hidden = true;
    $("analytics").hidden = true;
    $("analytics-body").hidden = true;
    $("knowledge").hidden = true;
    $("draft-form").hidden = true;
    draft = null;
    analyticsLoaded = false;
    $("who").hidden = true;
    $("logout").hidden = true;
    $("login").hidden = false;
    say(message || "Đã đăng xuất.");
    $("username").focus();
  }

  // ---- views: the queue (staff) or the analytics ----
  var analyticsLoaded = false;

  var VIEWS = ["queue", "analytics", "knowledge"];

  function showView(name) {
    VIEWS.forEach(function (view) {
      $(view).hidden = view !== name;
      $("show-" + view).setAttribute("aria-pressed", String(view === name));
    });
    $("conversation").hidden = name !== "queue" || current === null;
    var title = $(name + "-title");
    title.setAttribute("tabindex", "-1");
    title.focus();
    if (name === "analytics" && !analyticsLoaded) {
      loadAnalytics(null, null);
    }
    if (name === "knowledge") {
      loadCards();
    }
  }

  // ---- cards: drafts from unanswered questions or cards marked wrong; admins publish ----
  var DRAFT_STATUS = {
    draft: "Bản thảo",
    publishing: "Đang đăng",
    published: "Đã đăng",
    failed: "Đăng không thành công",
  };
  var draft = null; // the draft in the editor: {id (null until saved), origin_kind, origin, status}

  function cell(row, content) {
    var td = document.createElement("td");
    if (typeof content === "string") {
      td.textContent = content;
    } else {
      td.appendChild(content);
    }
    row.appendChild(td);
  }

  function actionButton(text, label, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = text;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", onClick);
    return button;
  }

  function emptyRow(body, columns, text) {
    var row = document.createElement("tr");
    var td = document.createElement("td");
    td.colSpan = columns;
    td.textContent = text;
    row.appendChild(td);
    body.appendChild(row);
  }

  function loadCards() {
    loadGaps();
    loadDrafts();
  }

  function loadGaps() {
    api("GET", "/api/curation/gaps").then(function (reply) {
      var body = $("gap-rows");
      body.textContent = "";
      if (!reply.ok) {
        emptyRow(body, 3, errorOf(reply, "Chưa tải được danh sách câu hỏi."));
        return;
      }
      if (!reply.data.items.length) {
        emptyRow(body, 3, "Không còn câu hỏi nào chờ bổ sung.");
      }
      reply.data.items.forEach(function (gap) {
        var row = document.createElement("tr");
        cell(row, gap.example);
        cell(row, String(gap.count));
        cell(row, actionButton("Soạn thẻ", "Soạn thẻ cho câu hỏi: " + gap.example, function () {
          startDraft("gap=" + encodeURIComponent(gap.key));
        }));
        body.appendChild(row);
      });
    });
  }

  function loadDrafts() {
    return api("GET", "/api/curation/drafts").then(function (reply) {
      var body = $("draft-rows");
      body.textContent = "";
      if (!reply.ok) {
        emptyRow(body, 4, errorOf(reply, "Chưa tải được bản thảo."));
        return;
      }
      if (!reply.data.items.length) {
        emptyRow(body, 4, "Chưa có bản thảo nào.");
      }
      reply.data.items.forEach(function (item) {
        var row = document.createElement("tr");
        var name = item.title || item.card_id || "(chưa đặt tên)";
        cell(row, name);
        cell(row, item.author);
        cell(row, DRAFT_STATUS[item.status] + (item.problem ? ": " + item.problem : ""));
        cell(row, actionButton("Mở", "Mở bản thảo " + name, function () {
          openEditor(item);
        }));
        body.appendChild(row);
      });
    });
  }

  function startDraft(query) {
    $("fix-error").textContent = "";
    api("GET", "/api/curation/start" + (query ? "?" + query : "")).then(function (reply) {
      if (!reply.ok) {
        $("fix-error").textContent = errorOf(reply, "Không tìm thấy thẻ hoặc câu hỏi này.");
        return;
      }
      openEditor({ id: null, text: reply.data.text, origin_kind: reply.data.origin_kind,
                   origin: reply.data.origin, status: "draft" });
    });
  }

  function openEditor(item) {
    draft = item;
    var editable = item.status === "draft" || item.status === "failed";
    $("draft-form").hidden = false;
    $("draft-text").value = item.text;
    $("draft-text").readOnly = !editable;
    $("draft-error").textContent = item.problem || "";
    $("draft-publish").hidden = !(editable && session && session.role === "admin");
    $("draft-title").textContent = item.id
      ? "Bản thảo " + (item.title || item.card_id) + " — " + DRAFT_STATUS[item.status]
      : item.origin_kind === "wrong" ? "Soạn bản sửa thẻ " + item.origin : "Soạn thẻ mới";
    showPreview(item.preview || null);
    $("draft-title").focus();
  }

  function showPreview(preview) {
    $("preview").hidden = !preview;
    if (!preview) {
      return;
    }
    $("preview-title").textContent = preview.title || "(chưa có tiêu đề)";
    $("preview-body").textContent = preview.body;
    var sources = $("preview-sources");
    sources.textContent = "";
    preview.sources.forEach(function (source) {
      var li = document.createElement("li");
      li.textContent = source.title + " — " + source.url + (source.date ? " (" + source.date + ")" : "");
      sources.appendChild(li);
    });
    var problems = $("preview-problems");
    problems.textContent = "";
    preview.problems.forEach(function (problem) {
      var li = document.createElement("li");
      li.textContent = problem;
      problems.appendChild(li);
    });
    $("preview-verdict").textContent = preview.problems.length
      ? "Cần sửa trước khi đăng:"
      : "Thẻ đủ điều kiện để đăng.";
  }

  function previewDraft() {
    api("POST", "/api/curation/preview", { text: $("draft-text").value }).then(function (reply) {
      if (!reply.ok) {
        $("draft-error").textContent = errorOf(reply, "Chưa xem trước được.");
        return;
      }
      showPreview(reply.data);
      say(reply.data.problems.length ? "Thẻ còn " + reply.data.problems.length + " điểm cần sửa."
                                     : "Thẻ đủ điều kiện để đăng.");
    });
  }

  function saveDraft(event) {
    if (event) {
      event.preventDefault();
    }
    var text = $("draft-text").value;
    if (!text.trim()) {
      $("draft-error").textContent = "Bản thảo đang trống.";
      return Promise.resolve(null);
    }
    var request = draft.id
      ? api("PUT", "/api/curation/drafts/" + draft.id, { text: text })
      : api("POST", "/api/curation/drafts", { text: text, origin_kind: draft.origin_kind,
                                             origin: draft.origin });
    return request.then(function (reply) {
      if (!reply.ok) {
        $("draft-error").textContent = errorOf(reply, "Chưa lưu được bản thảo.");
        return null;
      }
      openEditor(reply.data);
      loadDrafts();
      say("Đã lưu bản thảo.");
      return reply.data;
    });
  }

  function publishDraft() {
    saveDraft().then(function (saved) {
      if (!saved) {
        return;
      }
      api("POST", "/api/curation/drafts/" + saved.id + "/publish").then(function (reply) {
        if (!reply.ok) {
          $("draft-error").textContent = errorOf(reply, "Chưa đăng được thẻ.");
          return;
        }
        openEditor(reply.data);
        say("Đang đăng thẻ và cập nhật kho kiến thức, việc này mất khoảng một phút…");
        waitForPublication(saved.id);
      });
    });
  }

  function waitForPublication(id) {
    setTimeout(function () {
      api("GET", "/api/curation/drafts/" + id).then(function (reply) {
        if (!reply.ok || reply.data.status === "publishing") {
          waitForPublication(id);
          return;
        }
        openEditor(reply.data);
        loadCards();
        say(reply.data.status === "published"
          ? "Đã đăng thẻ " + reply.data.card_id + ". Trợ lý dùng thẻ này từ câu hỏi tiếp theo."
          : "Đăng thẻ không thành công: " + (reply.data.problem || ""));
      });
    }, 2000);
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

  function sendCard(event) {
    event.preventDefault();
    var card = $("send-card").value.trim();
    $("card-error").textContent = "";
    if (!card || current === null) {
      $("card-error").textContent = "Anh/chị nhập mã thẻ cần gửi.";
      return;
    }
    api("POST", "/api/staff/handoffs/" + current + "/card", { card: card }).then(function (reply) {
      if (!reply.ok) {
        $("card-error").textContent = errorOf(reply, "Chưa gửi được thẻ.");
        return;
      }
      $("send-card").value = "";
      say("Đã gửi thẻ kiến thức cho người dân.");
      loadTranscript(current, false);
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

  // ---- analytics ----
  var SERIES = [
    { key: "web", name: "Trang web" },
    { key: "zalo", name: "Zalo" },
    { key: "zalooa", name: "Zalo OA" },
    { key: "other", name: "Khác" },
  ];
  var STATES = {
    waiting: "Đang chờ cán bộ",
    held: "Cán bộ đang trao đổi",
    returned: "Đã trả lại cho trợ lý",
    closed: "Đã kết thúc",
    expired: "Quá thời gian chờ",
  };
  var REASONS = {
    wrong_info: "Thông tin sai",
    not_what_i_asked: "Không đúng điều tôi hỏi",
    hard_to_understand: "Khó hiểu",
    "": "Không nêu lý do",
  };
  var period = { from: null, to: null }; // the range shown

  function dayMonth(iso) {
    var parts = iso.split("-");
    return parts[2] + "/" + parts[1];
  }

  function fullDate(iso) {
    var parts = iso.slice(0, 10).split("-");
    return parts[2] + "/" + parts[1] + "/" + parts[0];
  }

  function localStamp(iso) {
    return fullDate(iso) + " " + iso.slice(11, 16);
  }

  function fillRows(id, rows, empty, columns) {
    var body = $(id);
    body.textContent = "";
    if (!rows.length) {
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      td.colSpan = columns;
      td.textContent = empty;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (cells) {
      var tr = document.createElement("tr");
      cells.forEach(function (text) {
        var td = document.createElement("td");
        td.textContent = String(text);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function noData(figure) {
    figure.textContent = "";
    var p = document.createElement("p");
    p.className = "note";
    p.textContent = "Chưa có dữ liệu trong khoảng ngày này.";
    figure.appendChild(p);
  }

  function loadAnalytics(from, to) {
    var query = from && to ? "?from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to) : "";
    say("Đang tải thống kê…");
    return api("GET", "/api/analytics" + query).then(
      function (reply) {
        if (!reply.ok) {
          $("analytics-error").textContent = errorOf(reply, "Không tải được thống kê.");
          say("");
          return;
        }
        analyticsLoaded = true;
        $("analytics-error").textContent = "";
        renderAnalytics(reply.data);
        say("Đã cập nhật thống kê từ " + fullDate(reply.data.date_from) + " đến " +
            fullDate(reply.data.date_to) + ".");
      },
      function () {
        $("analytics-error").textContent = "Không kết nối được tới máy chủ. Anh/chị vui lòng thử lại.";
      }
    );
  }

  function renderAnalytics(data) {
    period = { from: data.date_from, to: data.date_to };
    $("analytics-from").value = data.date_from;
    $("analytics-to").value = data.date_to;
    $("analytics-body").hidden = false;
    var note = $("analytics-note");
    note.hidden = !data.notes.length;
    note.textContent = data.notes.join(" ");
    var span = "từ " + fullDate(data.date_from) + " đến " + fullDate(data.date_to);

    var totals = $("analytics-totals");
    totals.textContent = "";
    var waits = data.handoffs;
    [
      "Cuộc trò chuyện: " + data.total_conversations,
      "Tin nhắn của người dân: " + data.total_messages,
      "Lần trợ lý chưa trả lời được: " + data.fallbacks,
      "Yêu cầu gặp cán bộ: " + waits.total,
    ].forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      totals.appendChild(li);
    });

    // messages per day, by channel
    var byDay = {};
    var used = {};
    data.daily.forEach(function (row) {
      byDay[row.day] = byDay[row.day] || {};
      byDay[row.day][row.channel] = row.messages;
      used[row.channel] = true;
    });
    var days = Object.keys(byDay).sort().map(function (day) {
      return { label: dayMonth(day), values: byDay[day] };
    });
    var series = SERIES.filter(function (s) {
      return used[s.key];
    });
    if (data.total_messages) {
      window.TrolyCharts.stackedColumns(
        $("daily-chart"),
        "Biểu đồ cột: số tin nhắn của người dân mỗi ngày theo kênh, " + span + ", tổng " +
          data.total_messages + " tin nhắn. Số liệu chi tiết ở bảng theo ngày.",
        days,
        series
      );
    } else {
      noData($("daily-chart"));
    }
    fillRows("daily-rows", data.daily.map(function (row) {
      return [fullDate(row.day), CHANNELS[row.channel] || row.channel, row.conversations, row.messages];
    }), "Chưa có dữ liệu.", 4);

    fillRows("topics-rows", data.topics.map(function (t) {
      return [t.name, t.count];
    }), "Chưa có câu hỏi nào trong khoảng ngày này.", 2);

    if (data.cards.length) {
      window.TrolyCharts.horizontalBars(
        $("cards-chart"),
        "Biểu đồ thanh: " + data.cards.length + " thẻ hoặc thủ tục được dùng để trả lời nhiều nhất, " +
          span + ". Số liệu ở bảng bên dưới.",
        data.cards.map(function (c) {
          return { name: c.name, value: c.count };
        }),
        "bar-cards"
      );
    } else {
      noData($("cards-chart"));
    }
    fillRows("cards-rows", data.cards.map(function (c) {
      return [c.name, c.count];
    }), "Chưa có câu trả lời nào từ thẻ trong khoảng ngày này.", 2);

    if (data.wrong.length) {
      window.TrolyCharts.horizontalBars(
        $("wrong-chart"),
        "Biểu đồ thanh: số lần bị đánh giá chưa đúng của " + data.wrong.length +
          " thẻ hoặc thủ tục, " + span + ". Số liệu và lý do ở bảng bên dưới.",
        data.wrong.map(function (w) {
          return { name: w.source, value: w.wrong };
        }),
        "bar-wrong"
      );
    } else {
      noData($("wrong-chart"));
    }
    fillRows("wrong-rows", data.wrong.map(function (w) {
      var reasons = Object.keys(w.reasons).sort(function (a, b) {
        return w.reasons[b] - w.reasons[a];
      }).map(function (r) {
        return (REASONS[r] || r) + ": " + w.reasons[r];
      });
      return [w.source, w.wrong, reasons.join("; ")];
    }), "Chưa có câu trả lời nào bị đánh giá chưa đúng.", 3);

    fillRows("unanswered-rows", data.unanswered.map(function (g) {
      return [g.example, g.count, localStamp(g.last_asked)];
    }), "Không có câu hỏi nào còn chờ câu trả lời.", 3);

    $("handoffs-waits").textContent = waits.taken
      ? "Đã nhận " + waits.taken + " yêu cầu; thời gian chờ trung vị " +
        minutes(waits.median_wait_seconds) + ", lâu nhất " + minutes(waits.max_wait_seconds) + "."
      : "Chưa có yêu cầu nào được cán bộ nhận trong khoảng ngày này.";
    fillRows("handoffs-rows", Object.keys(waits.by_status).map(function (state) {
      return [STATES[state] || state, waits.by_status[state]];
    }), "Không có yêu cầu gặp cán bộ nào.", 2);
  }

  function applyPeriod(event) {
    event.preventDefault();
    var from = $("analytics-from").value;
    var to = $("analytics-to").value;
    if (!from || !to) {
      $("analytics-error").textContent = "Anh/chị vui lòng chọn cả ngày bắt đầu và ngày kết thúc.";
      return;
    }
    if (from > to) {
      $("analytics-error").textContent = "Ngày bắt đầu đang sau ngày kết thúc. Anh/chị vui lòng chọn lại.";
      return;
    }
    loadAnalytics(from, to);
  }

  function download(table) {
    if (!session || !period.from) {
      return;
    }
    var path = "/api/analytics/export.csv?table=" + table + "&from=" + period.from + "&to=" + period.to;
    fetch(path, {
      headers: { Authorization: "Bearer " + session.token },
      credentials: "omit",
      cache: "no-store",
    }).then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () {
          return null;
        }).then(function (data) {
          say(errorOf({ data: data }, "Chưa tải được tệp CSV."));
        });
      }
      return response.blob().then(function (blob) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = "thong-ke-" + table + "-" + period.from + "-" + period.to + ".csv";
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () {
          URL.revokeObjectURL(link.href);
        }, 1000);
        say("Đã tải tệp CSV.");
      });
    }, function () {
      say("Không kết nối được tới máy chủ. Anh/chị vui lòng thử lại.");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("login-form").addEventListener("submit", logIn);
    $("show-queue").addEventListener("click", function () {
      showView("queue");
    });
    $("show-analytics").addEventListener("click", function () {
      showView("analytics");
    });
    $("analytics-form").addEventListener("submit", applyPeriod);
    $("show-knowledge").addEventListener("click", function () {
      showView("knowledge");
    });
    $("fix-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var card = $("fix-card").value.trim();
      if (!card) {
        $("fix-error").textContent = "Anh/chị nhập mã thẻ cần sửa, ví dụ card:vneid-activate.";
        return;
      }
      startDraft("card=" + encodeURIComponent(card));
    });
    $("new-card").addEventListener("click", function () {
      startDraft("");
    });
    $("draft-form").addEventListener("submit", saveDraft);
    $("draft-preview").addEventListener("click", previewDraft);
    $("draft-publish").addEventListener("click", publishDraft);
    Array.prototype.forEach.call(document.querySelectorAll("button.download"), function (button) {
      button.addEventListener("click", function () {
        download(button.getAttribute("data-table"));
      });
    });
    $("logout").addEventListener("click", function () {
      logOut();
    });
    $("reply-form").addEventListener("submit", sendReply);
    $("card-form").addEventListener("submit", sendCard);
    $("hand-back").addEventListener("click", function () {
      finish("hand-back", "Đã trả cuộc trò chuyện lại cho trợ lý.");
    });
    $("close").addEventListener("click", function () {
      finish("close", "Đã kết thúc cuộc trò chuyện.");
    });
    $("username").focus();
  });
})();

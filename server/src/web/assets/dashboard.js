// The head-office view: sortable and filterable tables, and the two charts drawn from the page's JSON block.
"use strict";

function cellValue(row, index) {
  const text = row.cells[index] ? row.cells[index].textContent.trim() : "";
  const number = Number(text);
  return text !== "" && !Number.isNaN(number) ? number : text;
}

function makeSortable(table) {
  const headers = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
  headers.forEach((th, index) => {
    th.tabIndex = 0;
    const sort = () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = cellValue(a, index);
        const y = cellValue(b, index);
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "ja");
        return ascending ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        sort();
      }
    });
  });
}

function makeFilter(input) {
  const table = document.getElementById(input.dataset.filter);
  if (!table) return;
  input.addEventListener("input", () => {
    const needle = input.value.trim().toLowerCase();
    Array.from(table.tBodies[0].rows).forEach((row) => {
      const match = needle === "" || row.textContent.toLowerCase().includes(needle);
      row.classList.toggle("hidden", !match);
    });
  });
}

function drawCharts(data) {
  if (typeof Chart === "undefined") return;
  const weeks = document.getElementById("chart-weeks");
  if (weeks) {
    const labels = data.weeks.map((w) => w.week);
    const series = (key) => {
      if (!key) return data.weeks;
      const rows = data.material_weeks.filter((w) => `${w.material}@${w.version}` === key);
      return labels.map((week) => rows.find((w) => w.week === week) ?? { week, verified: 0, unverified: 0, opens: 0 });
    };
    const shown = series("");
    const chart = new Chart(weeks, {
      type: "bar",
      data: {
        labels,
        datasets: [
          { label: data.labels.verified, data: shown.map((w) => w.verified), backgroundColor: "#0b6e4f", stack: "taps" },
          { label: data.labels.unverified, data: shown.map((w) => w.unverified), backgroundColor: "#e09f3e", stack: "taps" },
          { label: data.labels.opens, data: shown.map((w) => w.opens), type: "line", borderColor: "#335c81", backgroundColor: "#335c81" },
        ],
      },
      options: { maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
    });
    const picker = document.getElementById("chart-material");
    if (picker) {
      picker.addEventListener("change", () => {
        const rows = series(picker.value);
        chart.data.datasets[0].data = rows.map((w) => w.verified);
        chart.data.datasets[1].data = rows.map((w) => w.unverified);
        chart.data.datasets[2].data = rows.map((w) => w.opens);
        chart.update();
        weeks.dataset.total = String(rows.reduce((n, w) => n + w.verified + w.unverified, 0));
      });
    }
    weeks.dataset.total = String(shown.reduce((n, w) => n + w.verified + w.unverified, 0));
  }
  const scores = document.getElementById("chart-scores");
  if (scores) {
    new Chart(scores, {
      type: "bar",
      data: {
        labels: data.bands.map((b) => `${b.from}–${b.to}`),
        datasets: [{ label: data.labels.visits, data: data.bands.map((b) => b.visits), backgroundColor: data.bands.map((b) => (b.to < 50 ? "#b42318" : "#0b6e4f")) }],
      },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
    });
  }
  document.body.dataset.chartsReady = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.sortable").forEach(makeSortable);
  document.querySelectorAll("input[data-filter]").forEach(makeFilter);
  const block = document.getElementById("report-data");
  if (block) drawCharts(JSON.parse(block.textContent));
});

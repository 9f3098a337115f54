// Word pools and sentence/title builders for the synthetic corpus. Everything is driven by an Rng passed in,
// so the same seed gives the same text. Vocabulary is invented for the benchmark (security-news flavoured, like
// the real archive) — no real article text is copied.

const ZH_SUBJ = [
  '攻击者',
  '研究人员',
  '安全团队',
  '该漏洞',
  '厂商',
  '监管部门',
  '用户',
  '企业',
  '黑客组织',
  '该恶意软件',
  '国家互联网应急中心',
  '安全厂商',
  '开发者',
  '运维人员',
  '红队',
  '蓝队',
  '威胁行为者',
  '该组织',
  '相关部门',
  '业内专家',
  '平台方',
  '某大型金融机构',
  '多家企业',
  '该样本',
  '后门程序',
  '勒索团伙',
  '白帽子',
  '测评机构',
  '工信部',
  '网信办',
];
const ZH_ADV = [
  '近日',
  '目前',
  '此前',
  '随后',
  '同时',
  '进一步',
  '已经',
  '正在',
  '持续',
  '首次',
  '再次',
  '迅速',
  '',
  '',
  '',
];
const ZH_CTX = [
  '实际攻防',
  '日常运维',
  '渗透测试',
  '代码审计',
  '应急响应',
  '供应链',
  '移动端',
  '物联网设备',
  '办公网络',
  '生产环境',
  '云上业务',
  '数据中心',
  '开源社区',
  '内网环境',
  '攻防演练',
];
const ZH_VERB = [
  '利用',
  '披露了',
  '修复了',
  '发现了',
  '发布了',
  '绕过了',
  '影响',
  '建议加强',
  '完成了',
  '分析了',
  '复现了',
  '监测到',
  '公开了',
  '通报了',
  '部署了',
  '更新了',
  '评估了',
  '整改了',
  '排查了',
  '拦截了',
  '梳理了',
  '关注',
];
export const ZH_OBJ = [
  '远程代码执行漏洞',
  '供应链攻击',
  '数据泄露事件',
  '身份验证机制',
  '零日漏洞',
  '勒索软件',
  '安全更新',
  '网络安全法相关要求',
  '大模型应用',
  '云原生环境',
  '工业控制系统',
  '钓鱼邮件',
  '内网横向移动路径',
  '敏感信息',
  '访问控制策略',
  '漏洞利用链',
  '威胁情报',
  '补丁',
  '安全基线',
  '日志审计能力',
  '终端防护产品',
  'API接口',
  '默认口令',
  '反序列化漏洞',
  'SQL注入漏洞',
  '跨站脚本漏洞',
  '权限提升漏洞',
  '文件上传漏洞',
  '命令执行漏洞',
  '信息泄露漏洞',
  '数据出境安全评估',
  '等级保护测评',
  '关键信息基础设施',
  '个人信息保护',
  '密码应用',
  '态势感知平台',
  '零信任架构',
  '应急响应流程',
  '安全运营中心',
  '暴露面资产',
  '弱口令问题',
  '未授权访问漏洞',
];
export const EN_TERM = [
  'Windows',
  'Linux',
  'Apache Struts',
  'Spring Boot',
  'Nacos',
  'WebLogic',
  'Exchange Server',
  'Chrome',
  'iOS',
  'Android',
  'Kubernetes',
  'Docker',
  'Redis',
  'Log4j',
  'OpenSSH',
  'Fortinet',
  'Ivanti',
  'Citrix',
  'VMware vCenter',
  'GitLab',
  'Jenkins',
  'Confluence',
  'LLM',
  'API',
  'RCE',
  'SSRF',
  'XSS',
  'PoC',
  'EDR',
  'SIEM',
  'SOC',
  'DeepSeek',
  'ChatGPT',
  'Cobalt Strike',
  'Mimikatz',
  'Burp Suite',
  'nuclei',
  'fofa',
  'Shiro',
  'Fastjson',
  'ThinkPHP',
  'Jeecg-Boot',
  '用友U8',
  '泛微OA',
];
const ZH_TAIL = [
  '。',
  '，目前已有多家企业受到影响。',
  '，建议相关用户尽快升级。',
  '，相关细节仍在进一步分析中。',
  '，值得业界高度关注。',
  '，攻击者可借此获取服务器权限。',
  '，涉及数百万条用户记录。',
  '，官方已发布修复版本。',
  '，并给出了相应的缓解措施。',
  '，这一趋势在今年尤为明显。',
  '。',
  '。',
  '。',
  '！',
  '？',
];

const EN_SUBJ = [
  'Attackers',
  'Researchers',
  'The vendor',
  'The flaw',
  'Security teams',
  'The threat actor',
  'Defenders',
  'The malware',
  'The advisory',
  'Administrators',
  'The campaign',
  'The botnet',
  'The exploit',
  'Analysts',
  'The patch',
];
const EN_VERB = [
  'exploited',
  'disclosed',
  'fixed',
  'bypassed',
  'targeted',
  'abused',
  'patched',
  'leaked',
  'chained',
  'weaponized',
  'detected',
  'blocked',
  'reported',
  'analysed',
  'mitigated',
];
const EN_OBJ = [
  'a remote code execution bug',
  'an authentication bypass',
  'the supply chain',
  'exposed credentials',
  'a zero-day vulnerability',
  'ransomware payloads',
  'misconfigured cloud storage',
  'a deserialization flaw',
  'an SQL injection',
  'privileged accounts',
  'the update mechanism',
  'an unauthenticated API endpoint',
  'session tokens',
  'a kernel driver',
  'the VPN appliance',
  'the build pipeline',
  'open-source packages',
  'phishing lures',
];
const EN_TAIL = [
  '.',
  ' in the wild.',
  ' across several regions.',
  ' according to the report.',
  ' before the fix shipped.',
  ' last week.',
  ', the company said.',
  ' on unpatched systems.',
  ' within hours of disclosure.',
  '.',
  '.',
];

export const IT_SENT = [
  'Secondo i ricercatori, la vulnerabilità è già sfruttata attivamente',
  'Gli aggiornamenti correggono diversi bug critici',
  'Il Garante Privacy ha avviato un’istruttoria',
  'La campagna di phishing colpisce gli utenti italiani',
  'Gli esperti consigliano di aggiornare subito i dispositivi',
  'I dati sottratti sono stati pubblicati nel dark web',
  'L’attacco DDoS ha reso irraggiungibili i siti per alcune ore',
  'Il malware si diffonde tramite allegati email',
];

export const PRODUCTS = [
  'Smartbi',
  'Nacos',
  'WebLogic',
  'Confluence',
  'Jenkins',
  'GitLab',
  'Apache Tomcat',
  'Spring Cloud Gateway',
  'Fortinet FortiOS',
  'Ivanti Connect Secure',
  'Citrix NetScaler',
  'VMware ESXi',
  'Exchange Server',
  'OpenSSH',
  'Redis',
  'Jeecg-Boot',
  'ThinkPHP',
  '用友U8Cloud',
  '泛微E-cology',
  '致远OA',
  '通达OA',
  '金蝶云星空',
  'Zabbix',
  'Grafana',
  'MinIO',
  'Apache ActiveMQ',
  'Palo Alto PAN-OS',
  'Cisco IOS XE',
  'SonicWall SMA',
  'Veeam Backup',
  'Chrome',
  'Windows SMB',
  'Linux kernel',
  'Kubernetes',
  'Harbor',
  'Nginx UI',
  'Ollama',
  'LangChain',
  'Dify',
  'ComfyUI',
];
const VULN_ZH = [
  '远程代码执行',
  '任意文件读取',
  'SQL注入',
  '权限提升',
  '身份认证绕过',
  '反序列化',
  '命令执行',
  '信息泄露',
  '未授权访问',
  '任意文件上传',
  '路径遍历',
  '拒绝服务',
  '服务端请求伪造',
  '跨站脚本',
];
export const VULN_EN = [
  'Remote Code Execution',
  'Authentication Bypass',
  'SQL Injection',
  'Privilege Escalation',
  'Path Traversal',
  'Arbitrary File Read',
  'Cross Site Scripting',
  'Denial of Service',
  'Server-Side Request Forgery',
  'Deserialization',
  'Command Injection',
  'Information Disclosure',
];
const ORGS = [
  '国家互联网应急中心',
  '工业和信息化部',
  '中央网信办',
  '公安部',
  '中国信通院',
  '全国网安标委',
  '国家密码管理局',
  '奇安信',
  '360',
  '深信服',
  '天融信',
  '启明星辰',
  '绿盟科技',
  '长亭科技',
  '安恒信息',
  '微步在线',
  '腾讯安全',
  '阿里云',
  '华为',
];
const DOCS = [
  '网络安全产业发展白皮书',
  '数据安全治理实践指南',
  '关键信息基础设施安全保护要求',
  '个人信息出境认证办法',
  '生成式人工智能服务安全基本要求',
  '网络安全等级保护测评报告',
  '勒索软件防护指南',
  '软件供应链安全要求',
  '数据分类分级规则',
];
export const TOPICS = [
  '数据安全',
  '零信任',
  '大模型安全',
  '供应链安全',
  '云安全',
  '攻防演练',
  '漏洞管理',
  '威胁情报',
  '密码应用',
  '工控安全',
  '车联网安全',
  '移动安全',
  '终端安全',
  '安全运营',
  '红队技术',
  '应急响应',
  '代码审计',
  '内网渗透',
  '免杀技术',
];
const PERSONS = ['某某', '张三', '安全小白', '老王', '阿木', '南风', 'Tide', '白帽汇', '星尘', '北辰'];
const EMOJI = ['🔥', '🚀', '⚠️', '✅', '📢', '💡', '🛡️', '🎉', '👉', '❗'];

export function zhSentence(r) {
  const ctx = r.chance(0.3) ? `在${r.pick(ZH_CTX)}中` : '';
  const en = r.chance(0.35) ? `${r.pick(EN_TERM)} ` : '';
  return `${r.pick(ZH_ADV)}${r.pick(ZH_SUBJ)}${ctx}${r.pick(ZH_VERB)}${en}${r.pick(ZH_OBJ)}${r.pick(ZH_TAIL)}`;
}

export function enSentence(r) {
  const s = `${r.pick(EN_SUBJ)} ${r.pick(EN_VERB)} ${r.pick(EN_OBJ)}`;
  const mid = r.chance(0.35) ? ` in ${r.pick(PRODUCTS)}` : '';
  return `${s}${mid}${r.pick(EN_TAIL)}`;
}

/** A pool of pre-built sentences so per-file generation is just picking (fast, deterministic). */
export function sentencePool(r, n, make) {
  const pool = new Array(n);
  for (let i = 0; i < n; i++) pool[i] = make(r);
  return pool;
}

const pad = (n, w) => String(n).padStart(w, '0');

/** An ordinary WeChat-style title (no YAML hazards except what real titles carry: full-width punctuation). */
export function wechatTitle(r, year) {
  const prod = r.pick(PRODUCTS);
  const n = r.range(2, 9999);
  switch (r.int(16)) {
    case 0:
      return `【漏洞通告】${prod} ${r.pick(VULN_ZH)}漏洞（CVE-${year}-${r.range(1000, 59999)}）`;
    case 1:
      return `${prod}${r.pick(VULN_ZH)}漏洞分析与复现`;
    case 2:
      return `速修！${prod}高危${r.pick(VULN_ZH)}漏洞，影响超${n}家企业`;
    case 3:
      return `记一次${r.pick(ZH_CTX)}中的${r.pick(VULN_ZH)}漏洞挖掘（${n}）`;
    case 4:
      return `${r.pick(ORGS)}发布《${r.pick(DOCS)}（${year}年版）》`;
    case 5:
      return `关注 | ${r.pick(ORGS)}部署${r.pick(TOPICS)}专项工作第${n}期`;
    case 6:
      return `${r.pick(TOPICS)}：${zhSentence(r).replace(/[。！？，].*$/, '')}`;
    case 7: {
      const m = r.range(1, 12),
        d = r.range(1, 20);
      return `网络安全周报（${m}月${d}日-${m}月${d + 6}日）第${n}期`;
    }
    case 8:
      return `【安全圈】${zhSentence(r).replace(/[。！？]$/, '')}`;
    case 9:
      return `${prod} ${r.range(1, 9)}.${r.range(0, 20)}.${r.range(0, 9)} ${r.pick(VULN_EN)}`;
    case 10:
      return `干货 | ${r.pick(TOPICS)}实战指南（${n}）`;
    case 11:
      return `${r.range(20, 300)}页 ${year}年${r.pick(TOPICS)}研究报告`;
    case 12:
      return `${r.pick(ORGS)}入选《${year}网络安全产业图谱》${r.range(2, 12)}大类别${r.range(10, 60)}项细分领域`;
    case 13:
      return `从${r.pick(TOPICS)}到${r.pick(TOPICS)}：${r.pick(ZH_OBJ)}的${n}个实践`;
    case 14:
      return `${r.pick(['工具推荐', '技术分享', '实战', '原创', '资讯'])}丨${r.pick(EN_TERM)} ${r.pick(ZH_OBJ)}利用技巧${n}`;
    default:
      return `${r.pick(ZH_SUBJ)}${r.pick(ZH_VERB)}${r.pick(ZH_OBJ)}，${r.pick(TOPICS)}迎来新变化（${pad(n, 4)}）`;
  }
}

/** Titles that break naive front-matter handling (YAML, XML, HTML, JSON). */
export function hostileTitle(r, year) {
  const base = wechatTitle(r, year);
  const n = r.range(1, 999);
  switch (r.int(16)) {
    case 0:
      return `CVE-${year}-${r.range(1000, 59999)}: RCE in ${r.pick(PRODUCTS)}`;
    case 1:
      return `周报 #${n} 本周动态`;
    case 2:
      return `[转载] ${base}`;
    case 3:
      return `@${r.pick(PERSONS)} 说：${r.pick(TOPICS)}的${n}个误区`;
    case 4:
      return `- ${base}`;
    case 5: {
      // loads as a number under YAML, or (empty title) as null
      const x = r.next();
      return x < 0.25 ? '' : String(x < 0.6 ? r.range(2000, 2030) : r.range(1, 99999));
    }
    case 6:
      return `"${r.pick(TOPICS)}"的标题${n}`;
    case 7:
      return `关于\\"${r.pick(TOPICS)}${n}\\"专项行动的通知`;
    case 8:
      return `${r.pick(PRODUCTS)} ]]> CDATA 截断测试 ${n}`;
    case 9:
      return `<b>${base}</b>`;
    case 10:
      return `${r.pick(ORGS)} & ${r.pick(ORGS)} 联合发布${r.pick(DOCS)} ${n}`;
    case 11:
      return `${base} ${r.pick(EMOJI)}${r.pick(EMOJI)}`;
    case 12:
      return `演讲议题 | ${r.pick(PRODUCTS)} Security: ${r.pick(VULN_EN)} ${n}`;
    case 13:
      return `| ${base}`;
    case 14:
      return `${base} <script>alert(${n})</script>`;
    default:
      return `${r.pick(TOPICS)} 'single' & "double" ${n}`;
  }
}

// ---- non-WeChat items ------------------------------------------------------------------------------------------

export const WEB_SOURCES_FIXED = [
  ['Files ≈ Packet Storm', 'packetstorm'],
  ['Malwarebytes Labs', 'blog-en'],
  ['Deeplinks', 'blog-en'],
  ['Security Boulevard', 'blog-en'],
  ['The Hacker News', 'blog-en'],
  ['BleepingComputer', 'blog-en'],
  ['Schneier on Security', 'blog-en'],
  ['Krebs on Security', 'blog-en'],
  ['FreeBuf网络安全行业门户', 'cn-site'],
  ['先知社区', 'cn-site'],
  ['奇安信攻防社区', 'cn-site'],
  ['安全客', 'cn-site'],
  ['Seebug漏洞平台', 'cn-site'],
  ['SecWiki News', 'cn-site'],
  ['看雪学苑', 'cn-site'],
  ['CXSECURITY Database RSS Feed - CXSecurity.com', 'cxsecurity'],
  ['GitHub Security Advisories', 'ghsa'],
  ['KitPloit - PenTest & Hacking Tools', 'blog-en'],
  ['Over Security - Cybersecurity news aggregator', 'it-news'],
  ['Il Disinformatico', 'it-news'],
  ['ICT Security Magazine', 'it-news'],
  ['Didier Stevens', 'blog-en'],
  ['Graham Cluley', 'blog-en'],
  ['Microsoft Security Blog', 'blog-en'],
  ['Google Online Security Blog', 'blog-en'],
  ['Project Zero', 'blog-en'],
  ['Cisco Talos Blog', 'blog-en'],
  ['Unit 42', 'blog-en'],
  ['Check Point Research', 'blog-en'],
  ['Securelist', 'blog-en'],
  ['WeLiveSecurity', 'blog-en'],
  ['Rapid7 Blog', 'blog-en'],
  ['Tenable Blog', 'blog-en'],
  ['Horizon3.ai', 'blog-en'],
  ['watchTowr Labs', 'blog-en'],
  ['PortSwigger Research', 'blog-en'],
  ['Trail of Bits Blog', 'blog-en'],
  ['Instapaper: Unread', 'blog-en'],
  ['Application Security Blog', 'blog-en'],
  ["Paul's Security Weekly", 'blog-en'],
  ['Full Disclosure', 'packetstorm'],
  ['oss-security', 'packetstorm'],
  ['Exploit-DB Updates', 'cxsecurity'],
  ['SANS Internet Storm Center, InfoCON: green', 'blog-en'],
];
export const BLOG_WORDS = [
  'Cyber',
  'Threat',
  'Secure',
  'Red',
  'Blue',
  'Zero',
  'Shadow',
  'Byte',
  'Packet',
  'Kernel',
  'Hex',
  'Null',
  'Root',
  'Signal',
  'Vector',
  'Sentinel',
  'Cipher',
  'Vault',
  'Trace',
  'Pivot',
];
export const BLOG_TAILS = [
  'Labs',
  'Research',
  'Security Blog',
  'Intel',
  'Weekly',
  'Notes',
  'Digest',
  'Insights',
  'Team Blog',
  'Advisories',
];
export const GH_OWNERS = [
  'projectdiscovery',
  'rapid7',
  'chainreactors',
  'BishopFox',
  'SpecterOps',
  'fortra',
  'hashicorp',
  'kubernetes',
  'openssl',
  'curl',
  'nodejs',
  'golang',
  'rust-lang',
  'apache',
  'grafana',
  'zaproxy',
  'sqlmapproject',
  'wazuh',
];
export const GH_REPOS = [
  'nuclei-templates',
  'metasploit-framework',
  'spray',
  'sliver',
  'BloodHound',
  'impacket',
  'vault',
  'kubernetes',
  'openssl',
  'curl',
  'node',
  'go',
  'rust',
  'httpd',
  'grafana',
  'zaproxy',
  'sqlmap',
  'wazuh',
  'gogo',
  'neutron',
];

export function webTitle(r, type, year) {
  const prod = r.pick(PRODUCTS);
  const n = r.range(1, 99999);
  switch (type) {
    case 'packetstorm':
      return r.pick([
        `Ubuntu Security Notice USN-${r.range(5000, 7999)}-${r.range(1, 3)}`,
        `Red Hat Security Advisory ${year}-${r.range(1000, 9999)}-01`,
        `Debian Security Advisory ${r.range(5000, 6200)}-1`,
        `${prod} ${r.range(1, 9)}.${r.range(0, 9)} ${r.pick(VULN_EN)}`,
      ]);
    case 'cxsecurity':
      return `${prod} ${r.range(1, 9)}.${r.range(0, 20)}.${r.range(0, 9)} ${r.pick(VULN_EN)}`;
    case 'ghsa':
      return `${r.chance(0.1) ? '@' : ''}${r.pick(GH_REPOS)}${r.chance(0.3) ? `/${r.pick(GH_REPOS)}` : ''} vulnerable to ${r.pick(VULN_EN)}${r.chance(0.2) ? ' via crafted input' : ''}`;
    case 'commit': {
      const scope = r.pick(['parser', 'http', 'deps', 'ci', 'core', 'templates', 'cli', 'docs']);
      const long = r.chance(0.01); // a few commit subjects are whole paragraphs: their file names exceed 255 bytes
      return (
        r.pick([
          `Merge pull request #${n} from ${r.pick(GH_OWNERS)}/${r.pick(['dev', `fix-${n}`, `feature/${scope}`])}`,
          `fix(${scope}): handle "${r.pick(['quoted', 'empty', 'null'])}" values in ${r.pick(GH_REPOS)}`,
          `chore(deps): bump ${r.pick(GH_REPOS)} from ${r.range(1, 5)}.${r.range(0, 9)}.${r.range(0, 9)} to ${r.range(5, 9)}.${r.range(0, 9)}.0`,
          `Add CVE-${year}-${r.range(1000, 59999)} template`,
          `Update README.md`,
          `feat: ${r.pick(EN_OBJ)} detection (#${n})`,
        ]) + (long ? ` — ${Array.from({ length: 12 }, () => enSentence(r)).join(' ')}` : '')
      );
    }
    case 'cn-site':
      return wechatTitle(r, year);
    case 'it-news':
      return `${r.pick(IT_SENT)}${r.chance(0.15) ? `: ${r.pick(['i dettagli', 'cosa fare', 'ecco perché', 'come proteggersi'])}` : ''}`;
    default:
      if (r.chance(0.08)) {
        return r.chance(0.5)
          ? `CVE-${year}-${r.range(1000, 59999)}: ${r.pick(VULN_EN)} in ${prod}`
          : `S${r.range(1, 5)} Ep${r.range(1, 150)}: ${r.pick(EN_OBJ)} [Audio + Text]`;
      }
      return r.pick([
        `${r.pick(['Microsoft', 'Google', 'Apple', 'Cisco', 'Fortinet', 'Ivanti'])} patches ${r.range(2, 150)} vulnerabilities in ${prod}`,
        `How ${r.pick(['APT28', 'Lazarus', 'Scattered Spider', 'FIN7', 'Volt Typhoon', 'LockBit'])} abused ${prod} to ${r.pick(EN_VERB).replace(/ed$/, '')} ${r.pick(EN_OBJ)}`,
        `${prod} ${r.pick(VULN_EN)} (CVE-${year}-${r.range(1000, 59999)}) exploited`,
        `A week in security (${r.pick(['January', 'March', 'May', 'July', 'October'])} ${r.range(1, 20)} – ${r.range(21, 28)})`,
        `${prod} ${r.pick(VULN_EN)} Technical Deep Dive`,
        `What is ${r.pick(['Zero Trust', 'XDR', 'SBOM', 'CTEM', 'SASE'])} – and why it matters (${n})`,
        `${r.pick(EN_SUBJ)} ${r.pick(EN_VERB)} ${r.pick(EN_OBJ)}`,
        `Update ${r.pick(GH_REPOS)}.py version 0.0.${r.range(1, 40)}`,
      ]);
  }
}

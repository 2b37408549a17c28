// What the demo station is made of: townships and villages, surnames and given names.
// Surnames follow their rough frequency in rural China; 单, 曾, 仇, 解 and other surnames that
// read differently as surnames are in the list, so the pinyin search has something to prove.

export const TOWNSHIPS: { name: string; villages: string[] }[] = [
  { name: '青山镇', villages: ['东村', '西村', '南庄村', '北岭村', '石门村', '杨柳村', '新塘村', '上坪村'] },
  { name: '白水乡', villages: ['白水村', '南岭村', '桃源村', '大坝村', '竹林村', '牛角村'] },
  { name: '石桥镇', villages: ['石桥村', '河口村', '前进村', '马家村', '三合村', '黄泥村', '高田村'] },
  { name: '柳溪乡', villages: ['柳溪村', '清水村', '红星村', '长坪村', '下湾村'] },
  { name: '龙潭镇', villages: ['龙潭村', '凤鸣村', '双河村', '金鸡村', '花园村', '团结村', '新民村'] },
];

export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72], ['李', 70], ['张', 68], ['刘', 54], ['陈', 46], ['杨', 32], ['黄', 25], ['赵', 22], ['吴', 21], ['周', 20],
  ['徐', 15], ['孙', 15], ['马', 14], ['朱', 13], ['胡', 12], ['郭', 11], ['何', 11], ['高', 10], ['林', 10], ['罗', 10],
  ['郑', 9], ['梁', 9], ['谢', 8], ['宋', 8], ['唐', 8], ['许', 7], ['韩', 7], ['冯', 7], ['邓', 7], ['曹', 6],
  ['彭', 6], ['曾', 6], ['肖', 6], ['田', 5], ['董', 5], ['袁', 5], ['潘', 5], ['蒋', 5], ['蔡', 5], ['余', 5],
  ['杜', 4], ['叶', 4], ['程', 4], ['苏', 4], ['魏', 4], ['吕', 4], ['丁', 4], ['任', 4], ['沈', 4], ['姚', 3],
  ['卢', 3], ['姜', 3], ['崔', 3], ['钟', 3], ['谭', 3], ['陆', 3], ['汪', 3], ['范', 3], ['金', 3], ['石', 3],
  ['单', 2], ['仇', 1], ['解', 1], ['区', 1], ['查', 1], ['朴', 1], ['盖', 1], ['欧阳', 1], ['司马', 1], ['诸葛', 1],
];

export const GIVEN_CHARS = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平',
  '刚', '桂', '英', '华', '建', '国', '文', '玉', '兰', '红', '春', '海', '林', '云', '峰', '德', '志', '福', '贵', '生',
  '荣', '成', '金', '凤', '梅', '珍', '小', '东', '永', '良', '新', '燕', '慧', '婷', '宇', '浩', '鹏', '辉', '亮', '波',
];

/** Businesses and farms for non-residential customers: {place} + kind. */
export const COMMERCIAL = ['百货商店', '农家乐', '小卖部', '卫生院', '加油站', '超市', '米粉店', '五金店', '茶厂', '养殖场'];
export const INDUSTRY = ['砖厂', '水泥厂', '竹木加工厂', '石材厂', '食品厂'];
export const AGRICULTURE = ['排灌站', '育秧大棚', '养鱼场', '茶园', '果园灌溉'];

/** Tariff codes the demo files customers with (the billing desk's demo step defines them). */
export const DEMO_TARIFF_CODES = { residential: 'RES', commercial: 'COM', large_industry: 'LI', agricultural: 'AGR' } as const;

import sharp from 'sharp'
await sharp('/work/main/test-output/e2e/factcheck-ocr/04-claim-with-ocr.png').extract({ left: 80, top: 640, width: 680, height: 560 }).toFile('/tmp/p15w4/crop.png')
await sharp('/work/main/test-output/e2e/factcheck-ocr/05-claim-with-ocr-en.png').extract({ left: 80, top: 640, width: 680, height: 560 }).toFile('/tmp/p15w4/crop-en.png')
